//! E-mailing an offer: its PDF attached, to the recipients typed on the page, through the mail
//! server of `VENDITA_SMTP_URL`. The message goes out inside the sending transaction (see
//! `ssr::send`): a mail server that refuses or does not answer within `TIMEOUT` leaves the offer
//! unsent, its number not taken.

use super::OfferMail;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::state::Config;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long the mail server may take to take a message.
pub const TIMEOUT: Duration = Duration::from_secs(15);
pub const MAX_RECIPIENTS: usize = 10;
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 10_000;

/// A message checked and ready: who it goes to, from whom, what it says.
pub struct Outgoing {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    pub to: Vec<Mailbox>,
    subject: String,
    text: String,
}

/// Checks the page's message against the server's mail settings; `company_email`: the sender
/// when `VENDITA_SMTP_FROM` is not set.
pub fn prepare(config: &Config, company_email: &str, mail: &OfferMail) -> AppResult<Outgoing> {
    let url = config.smtp_url.as_deref().ok_or(AppError::MailOff)?;
    let from = config.smtp_from.as_deref().unwrap_or(company_email).trim();
    let from: Mailbox = from.parse().map_err(|_| AppError::invalid(Field::Email, Problem::Invalid))?;
    let to: Vec<Mailbox> = mail
        .to
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.parse::<Mailbox>().map_err(|_| AppError::invalid(Field::MailTo, Problem::Invalid)))
        .collect::<AppResult<_>>()?;
    if to.is_empty() {
        return Err(AppError::invalid(Field::MailTo, Problem::Required));
    }
    if to.len() > MAX_RECIPIENTS {
        return Err(AppError::invalid(Field::MailTo, Problem::TooMany));
    }
    let subject = crate::form::required_text(Field::MailSubject, &mail.subject, MAX_SUBJECT)?;
    if subject.contains(['\r', '\n']) {
        return Err(AppError::invalid(Field::MailSubject, Problem::Invalid));
    }
    let text = crate::form::required_text(Field::MailText, &mail.text, MAX_TEXT)?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| AppError::MailFailed(format!("VENDITA_SMTP_URL: {e}")))?
        .timeout(Some(TIMEOUT))
        .build();
    Ok(Outgoing { transport, from, to, subject, text })
}

impl Outgoing {
    /// The recipients as the offer's history keeps them.
    pub fn recipients(&self) -> String {
        self.to.iter().map(|m| m.email.to_string()).collect::<Vec<_>>().join(", ")
    }

    /// Sends the message with `pdf` attached as `file_name`; `number` replaces `[numero]` /
    /// `[number]` in the subject and the text, `link` (the customer's acceptance link) is added
    /// under the text.
    pub async fn deliver(self, number: &str, link: Option<String>, pdf: Vec<u8>, file_name: &str) -> AppResult<()> {
        let fill = |t: &str| t.replace("[numero]", number).replace("[number]", number);
        let mut text = fill(&self.text);
        if let Some(link) = link {
            text.push_str("\n\n");
            text.push_str(&link);
        }
        let mut builder = Message::builder().from(self.from.clone()).subject(fill(&self.subject));
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        let pdf = Attachment::new(file_name.to_string()).body(pdf, ContentType::parse("application/pdf").map_err(|_| AppError::Internal)?);
        let message = builder
            .multipart(MultiPart::mixed().singlepart(SinglePart::plain(text)).singlepart(pdf))
            .map_err(|e| AppError::MailFailed(e.to_string()))?;
        match tokio::time::timeout(TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "offer e-mail refused");
                Err(AppError::MailFailed(e.to_string()))
            }
            Err(_) => {
                tracing::warn!("offer e-mail: the mail server did not answer");
                Err(AppError::MailFailed("timeout".into()))
            }
        }
    }
}
