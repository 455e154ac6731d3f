//! The page a customer's link opens (`/o/{token}`), without an account: the offer as he
//! received it, in its language, its PDF, and *Accetto* with his name. Drawn on the server as
//! plain HTML with no script and nothing else of the CRM: no menu, no other link.

use super::Offer;
use super::pages::OfferTable;
use super::ssr::Shown;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::ui::Erase;
use leptos::prelude::*;
use leptos_meta::HashedStylesheet;

/// A whole page, `body` under the site's stylesheet.
fn document(options: &LeptosOptions, lang: Lang, title: String, body: impl IntoView + 'static) -> String {
    let options = options.clone();
    let owner = Owner::new();
    let html = owner.with(|| {
        provide_context(Viewer { user: None, lang, needs_setup: false });
        view! {
            <html lang=lang.code()>
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="robots" content="noindex" />
                    <title>{title}</title>
                    <HashedStylesheet options=options id="leptos" />
                </head>
                <body class="link-page">
                    <main class="link-main">{body}</main>
                </body>
            </html>
        }
        .to_html()
    });
    format!("<!DOCTYPE html>{html}")
}

fn heading(offer: &Offer, lang: Lang) -> String {
    let number = offer.number.map(|n| n.label()).unwrap_or_default();
    format!("{} {number}", Msg::PdfOfferNo.text(lang))
}

/// The offer behind a live link, or the thanks after it was accepted; `error`: the name refused.
pub fn offer_page(options: &LeptosOptions, token: &str, shown: Shown, error: Option<AppError>) -> String {
    let Shown { offer, letterhead, signed } = shown;
    let lang = offer.language;
    let title = heading(&offer, lang);
    let pdf = format!("/o/{token}/offer.pdf");
    let dated = format!(
        "{} {} · {}: {}",
        Msg::PdfDated.text(lang),
        lang.date(offer.offer_date),
        Msg::FieldValidUntil.text(lang),
        lang.date(offer.valid_until)
    );
    let terms: Vec<(Msg, String)> = [(Msg::FieldPaymentTerms, offer.payment_terms.clone()), (Msg::FieldDeliveryTerms, offer.delivery_terms.clone())]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let answer = match signed {
        Some(s) => {
            let at = s.at.with_timezone(&chrono::Local);
            let text = Msg::LinkThanks
                .text(lang)
                .replace("{name}", &s.name)
                .replace("{date}", &lang.date(at.date_naive()))
                .replace("{time}", &at.format("%H:%M").to_string());
            view! { <p class="notice" role="status" id="link-accepted">{text}</p> }.erase()
        }
        None => {
            let problem = error.map(|e| e.message(lang));
            view! {
                <form method="post" action="" class="link-accept" id="link-accept">
                    <h2>{Msg::PdfAcceptance.text(lang)}</h2>
                    <p class="muted small">{Msg::LinkAcceptHint.text(lang)}</p>
                    <label>{Msg::LinkSigner.text(lang)}
                        <input type="text" name="name" required minlength="2" maxlength="100" autocomplete="name" />
                        {problem.map(|p| view! { <span class="field-error" role="alert">{p}</span> })}
                    </label>
                    <button type="submit" class="primary" id="link-accept-button">{Msg::LinkAccept.text(lang)}</button>
                </form>
            }
            .erase()
        }
    };
    let body = view! {
        <header class="link-letterhead">
            <strong>{letterhead.name}</strong>
            {letterhead.lines.into_iter().map(|l| view! { <span class="muted small">{l}</span> }).collect_view()}
        </header>
        <section class="panel">
            <h1>{title.clone()}</h1>
            <p class="muted">{dated}</p>
            <p><span class="muted">{Msg::PdfCustomer.text(lang)}" "</span><strong>{offer.customer.name.clone()}</strong></p>
            {(!offer.intro.is_empty()).then(|| view! { <p class="pre">{offer.intro.clone()}</p> })}
            <OfferTable offer=offer.clone() />
            {terms.into_iter().map(|(label, value)| view! { <p><span class="muted">{label.text(lang)}": "</span>{value}</p> }).collect_view()}
            {(!offer.closing.is_empty()).then(|| view! { <p class="pre">{offer.closing.clone()}</p> })}
            <p><a href=pdf id="link-pdf">{Msg::OfferPdf.text(lang)}</a></p>
        </section>
        <section class="panel">{answer}</section>
    };
    document(options, lang, title, body)
}

/// The answer to a link that opens nothing: unknown, answered, revised or expired (404), or too
/// many unknown links from this address (429). The offer's language is not known: both.
pub fn closed_page(options: &LeptosOptions, error: &AppError) -> String {
    let msg = if matches!(error, AppError::RateLimited) { Msg::LinkTooMany } else { Msg::LinkClosed };
    let body = view! {
        <section class="panel" id="link-closed">
            <p lang="it">{msg.text(Lang::It)}</p>
            <p lang="en">{msg.text(Lang::En)}</p>
        </section>
    };
    document(options, Lang::It, "Vendita".to_string(), body)
}
