//! The company's profile (*Intestazione*): the name, address and registration numbers printed at
//! the top of every offer, and what a new offer starts from: its validity, the payment and
//! delivery terms offered, its introduction and closing. Everybody reads it; managers change it
//! (`/config/crm/company`).

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::error::{AppError, AppResult, Field};
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, FormError, can_edit, error_of, read_only_notice, refused, saved, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The company as its offers name it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub province: String,
    pub vat_number: String,
    pub tax_code: String,
    /// *Numero REA*: the chamber of commerce's registration ("MI-1234567").
    pub rea: String,
    pub phone: String,
    pub email: String,
    pub iban: String,
    /// Days an offer stays valid when its validity is left empty.
    pub validity_days: i32,
    /// The payment terms offered on an offer, in order.
    pub payment_terms: Vec<String>,
    /// The delivery terms offered on an offer, in order.
    pub delivery_terms: Vec<String>,
    pub offer_intro: String,
    pub offer_closing: String,
    /// Whether this server e-mails offers (`VENDITA_SMTP_URL` is set): a server setting, shown
    /// with the profile.
    pub mail: bool,
    /// Whether a logo is kept (`config::logo`).
    pub logo: bool,
    pub version: i32,
}

/// At most this many terms in each list, each at most `MAX_TERM` characters.
pub const MAX_TERMS: usize = 20;
pub const MAX_TERM: usize = 200;
/// An offer's validity, in days.
pub const VALIDITY_DAYS: std::ops::RangeInclusive<i32> = 1..=365;

impl Company {
    /// The lines under the name on the letterhead, in the document's language; empty ones left out.
    pub fn letter_lines(&self, lang: Lang) -> Vec<String> {
        let join = |parts: Vec<String>| parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ");
        let labelled = |label: Msg, value: &str| if value.is_empty() { String::new() } else { format!("{} {value}", label.text(lang)) };
        let place = join(vec![
            self.postcode.clone(),
            match self.province.as_str() {
                "" => self.city.clone(),
                p => format!("{} ({p})", self.city),
            },
        ]);
        [
            join(vec![self.address.clone(), place]),
            join(vec![
                labelled(Msg::PdfVatNumber, &self.vat_number),
                labelled(Msg::PdfTaxCode, &self.tax_code),
                labelled(Msg::CompanyRea, &self.rea),
            ]),
            join(vec![labelled(Msg::CompanyPhone, &self.phone), self.email.clone()]),
            labelled(Msg::CompanyIban, &self.iban),
        ]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect()
    }
}

/// The profile as typed: the single form type of the company, its fields the form's names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub province: String,
    pub vat_number: String,
    pub tax_code: String,
    pub rea: String,
    pub phone: String,
    pub email: String,
    pub iban: String,
    pub validity_days: String,
    /// One a line.
    pub payment_terms: String,
    /// One a line.
    pub delivery_terms: String,
    pub offer_intro: String,
    pub offer_closing: String,
}

#[server(endpoint = "config_company", output = TextJson)]
pub async fn get_company() -> AppResult<Company> {
    let (state, _) = require_user().await?;
    let logo = super::logo::exists(&state.db).await?;
    Ok(Company { mail: state.config.smtp_url.is_some(), logo, ..ssr::get(&state.db).await? })
}

#[server(endpoint = "config_set_company", output = TextJson)]
pub async fn set_company(version: i32, #[server(flatten)] form: CompanyForm) -> AppResult<Company> {
    let (state, me) = require_user().await?;
    ssr::set(&state.db, &me, version, &form).await
}

/// `/config/crm/company`: the letterhead's fields.
#[component]
pub fn CompanyPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SetCompany>::new();
    let company = Resource::new(move || save.version().get(), |_| get_company());
    let error = error_of(save.value());
    let edit = can_edit();
    view! {
        <section class="panel config narrow">
            <p><a href="/config/crm">"← "{Msg::ConfigBack.text(lang)}</a></p>
            <h1>{Msg::CompanyTitle.text(lang)}</h1>
            <p class="intro">{Msg::CompanyIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    company.await.map(|c| {
                        let field = move |name: &'static str, label: Msg, field: Field, value: String, max: usize| view! {
                            <label>{label.text(lang)}
                                <input type="text" name=name value=value maxlength=max />
                                <FieldError error=error field=field />
                            </label>
                        };
                        view! {
                            <ActionForm action=save attr:id="company-form">{view! {
                                <input type="hidden" name="version" value=c.version />
                                <fieldset class="plain" disabled=!edit>
                                    {field("name", Msg::FieldName, Field::Name, c.name.clone(), 200)}
                                    {field("address", Msg::FieldAddress, Field::Address, c.address.clone(), 200)}
                                    {field("postcode", Msg::FieldPostcode, Field::Postcode, c.postcode.clone(), 10)}
                                    {field("city", Msg::FieldCity, Field::City, c.city.clone(), 100)}
                                    {field("province", Msg::FieldProvince, Field::Province, c.province.clone(), 2)}
                                    {field("vat_number", Msg::FieldVatNumber, Field::VatNumber, c.vat_number.clone(), 30)}
                                    {field("tax_code", Msg::FieldTaxCode, Field::TaxCode, c.tax_code.clone(), 30)}
                                    {field("rea", Msg::CompanyRea, Field::Rea, c.rea.clone(), 30)}
                                    {field("phone", Msg::FieldPhone, Field::Phone, c.phone.clone(), 50)}
                                    {field("email", Msg::FieldEmail, Field::Email, c.email.clone(), 200)}
                                    {field("iban", Msg::CompanyIban, Field::Iban, c.iban.clone(), 34)}
                                </fieldset>
                                <h2>{Msg::CompanyOffers.text(lang)}</h2>
                                <fieldset class="plain" disabled=!edit>
                                    {field("validity_days", Msg::CompanyValidityDays, Field::ValidUntil, c.validity_days.to_string(), 3)}
                                    <label>{Msg::CompanyPaymentTerms.text(lang)}
                                        <textarea name="payment_terms" rows="5">{c.payment_terms.join("\n")}</textarea>
                                        <FieldError error=error field=Field::PaymentTerms />
                                    </label>
                                    <label>{Msg::CompanyDeliveryTerms.text(lang)}
                                        <textarea name="delivery_terms" rows="3">{c.delivery_terms.join("\n")}</textarea>
                                        <FieldError error=error field=Field::DeliveryTerms />
                                    </label>
                                    <label>{Msg::FieldIntro.text(lang)}
                                        <textarea name="offer_intro" rows="3">{c.offer_intro.clone()}</textarea>
                                        <FieldError error=error field=Field::Intro />
                                    </label>
                                    <label>{Msg::FieldClosing.text(lang)}
                                        <textarea name="offer_closing" rows="3">{c.offer_closing.clone()}</textarea>
                                        <FieldError error=error field=Field::Closing />
                                    </label>
                                </fieldset>
                                <FormError error=error />
                                <Show when=move || saved(save.value()).get()>
                                    <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p>
                                </Show>
                                {edit.then(|| view! {
                                    <button type="submit" class="primary" id="save-company" disabled=move || save.pending().get()>{Msg::Save.text(lang)}</button>
                                })}
                            }.erase()}</ActionForm>
                            <LogoPanel present=c.logo edit=edit />
                        }
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </section>
    }
}

/// Sends the chosen file to `PUT /config/crm/company/logo` (or `DELETE`s the logo) and hands the
/// answer to `done`.
#[allow(unused_variables)]
fn logo_request(method: &'static str, done: impl Fn(Result<(), AppError>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let file = document()
            .get_element_by_id("logo-file")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if method == "PUT" && file.is_none() {
            done(Err(AppError::invalid(Field::Logo, crate::error::Problem::Required)));
            return;
        }
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        let _ = xhr.open(method, "/config/crm/company/logo");
        let _ = xhr.set_request_header("content-type", "application/octet-stream");
        let request = xhr.clone();
        let done = std::rc::Rc::new(done);
        let on_fail = done.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = request.status().unwrap_or(0);
            let text = request.response_text().ok().flatten().unwrap_or_default();
            done(if status == 204 {
                Ok(())
            } else {
                Err(serde_json::from_str::<AppError>(&text).unwrap_or(match status {
                    401 => AppError::Unauthenticated,
                    403 => AppError::Forbidden,
                    413 => AppError::TooLarge,
                    _ => AppError::Internal,
                }))
            });
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || on_fail(Err(AppError::Transport("logo".into()))));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let _ = match file {
            Some(file) if method == "PUT" => xhr.send_with_opt_blob(Some(&file)),
            _ => xhr.send(),
        };
    }
}

/// The letterhead's logo: shown, replaced from a file, taken away (managers).
#[component]
fn LogoPanel(present: bool, edit: bool) -> impl IntoView {
    let lang = use_lang();
    // The logo's version shown (a new upload changes the image's address), `None`: no logo.
    let shown = RwSignal::new(present.then_some(0u32));
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let request = move |method: &'static str| {
        busy.set(true);
        logo_request(method, move |result| {
            busy.set(false);
            match result {
                Ok(()) => {
                    error.set(None);
                    shown.update(|s| *s = if method == "PUT" { Some(s.map_or(1, |n| n + 1)) } else { None });
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let error_signal = Signal::derive(move || error.get());
    view! {
        <h2>{Msg::CompanyLogo.text(lang)}</h2>
        <div class="logo-panel" id="company-logo">
            {move || match shown.get() {
                Some(n) => view! { <img class="logo-preview" id="logo-preview" src=format!("/config/crm/company/logo.png?v={n}") alt=Msg::CompanyLogo.text(lang) /> }.erase(),
                None => view! { <p class="muted" id="logo-none">{Msg::CompanyLogoNone.text(lang)}</p> }.erase(),
            }}
            <p class="muted small">{Msg::CompanyLogoHint.text(lang)}</p>
            {edit.then(|| view! {
                <div class="logo-actions">
                    <input type="file" id="logo-file" accept="image/png,image/jpeg" aria-label=Msg::CompanyLogo.text(lang) />
                    <button type="button" id="upload-logo" disabled=move || busy.get() on:click=move |_| request("PUT")>{Msg::CompanyLogoUpload.text(lang)}</button>
                    {move || shown.get().is_some().then(|| view! {
                        <button type="button" class="danger" id="remove-logo" disabled=move || busy.get() on:click=move |_| request("DELETE")>{Msg::CompanyLogoRemove.text(lang)}</button>
                    })}
                </div>
            })}
            <FieldError error=error_signal field=Field::Logo />
            <FormError error=error_signal />
        </div>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Company, CompanyForm, MAX_TERM, MAX_TERMS, VALIDITY_DAYS};
    use crate::auth::CurrentUser;
    use crate::auth::ssr::require_manager;
    use crate::db::entities::company_profile;
    use crate::error::{AppError, AppResult, Field, Problem};
    use sea_orm::*;

    pub async fn get(db: &impl ConnectionTrait) -> AppResult<Company> {
        let m = company_profile::Entity::find_by_id(company_profile::PROFILE_ID).one(db).await?.ok_or(AppError::Internal)?;
        Ok(Company {
            name: m.name,
            address: m.address,
            postcode: m.postcode,
            city: m.city,
            province: m.province,
            vat_number: m.vat_number,
            tax_code: m.tax_code,
            rea: m.rea,
            phone: m.phone,
            email: m.email,
            iban: m.iban,
            validity_days: m.validity_days,
            payment_terms: lines(&m.payment_terms),
            delivery_terms: lines(&m.delivery_terms),
            offer_intro: m.offer_intro,
            offer_closing: m.offer_closing,
            mail: false,
            logo: false,
            version: m.version,
        })
    }

    /// The non-empty lines of a list typed one a line.
    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    fn terms(field: Field, text: &str) -> AppResult<String> {
        let list = lines(text);
        if list.len() > MAX_TERMS {
            return Err(AppError::invalid(field, Problem::TooMany));
        }
        if list.iter().any(|t| t.chars().count() > MAX_TERM) {
            return Err(AppError::invalid(field, Problem::TooLong));
        }
        Ok(list.join("\n"))
    }

    fn text(field: Field, value: &str, max: usize) -> AppResult<String> {
        let value = value.trim();
        if value.chars().count() > max {
            return Err(AppError::invalid(field, Problem::TooLong));
        }
        Ok(value.to_string())
    }

    /// Saves the profile over `version` (managers).
    pub async fn set(db: &DatabaseConnection, actor: &CurrentUser, version: i32, form: &CompanyForm) -> AppResult<Company> {
        require_manager(actor)?;
        let email = text(Field::Email, &form.email, 200)?;
        if !email.is_empty() && !email.contains('@') {
            return Err(AppError::invalid(Field::Email, Problem::EmailShape));
        }
        let validity = match form.validity_days.trim() {
            "" => 30,
            days => {
                days.parse::<i32>().ok().filter(|d| VALIDITY_DAYS.contains(d)).ok_or(AppError::invalid(Field::ValidUntil, Problem::OutOfRange))?
            }
        };
        let iban: String = text(Field::Iban, &form.iban, 42)?.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if !iban.is_empty() && (iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric())) {
            return Err(AppError::invalid(Field::Iban, Problem::Invalid));
        }
        let model = company_profile::ActiveModel {
            name: Set(text(Field::Name, &form.name, 200)?),
            address: Set(text(Field::Address, &form.address, 200)?),
            postcode: Set(text(Field::Postcode, &form.postcode, 10)?),
            city: Set(text(Field::City, &form.city, 100)?),
            province: Set(text(Field::Province, &form.province, 2)?.to_uppercase()),
            vat_number: Set(text(Field::VatNumber, &form.vat_number, 30)?),
            tax_code: Set(text(Field::TaxCode, &form.tax_code, 30)?.to_uppercase()),
            rea: Set(text(Field::Rea, &form.rea, 30)?),
            phone: Set(text(Field::Phone, &form.phone, 50)?),
            email: Set(email),
            iban: Set(iban),
            validity_days: Set(validity),
            payment_terms: Set(terms(Field::PaymentTerms, &form.payment_terms)?),
            delivery_terms: Set(terms(Field::DeliveryTerms, &form.delivery_terms)?),
            offer_intro: Set(text(Field::Intro, &form.offer_intro, 5000)?),
            offer_closing: Set(text(Field::Closing, &form.offer_closing, 5000)?),
            ..Default::default()
        };
        let saved = company_profile::Entity::update_many()
            .set(model)
            .col_expr(company_profile::Column::Version, sea_query::Expr::col(company_profile::Column::Version).add(1))
            .col_expr(company_profile::Column::UpdatedAt, sea_query::Expr::value(chrono::Utc::now()))
            .filter(company_profile::Column::Id.eq(company_profile::PROFILE_ID))
            .filter(company_profile::Column::Version.eq(version))
            .exec(db)
            .await?;
        if saved.rows_affected != 1 {
            return Err(AppError::Conflict);
        }
        get(db).await
    }
}
