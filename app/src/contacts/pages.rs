//! The address-book pages: the list (search, tag filter, keyset pages in the URL), the new-contact
//! form and the contact card with its tabs *Dati* and *Vendita* (`/contacts/{id}/vendita`).

use super::{
    Contact, ContactCursor, ContactKind, ContactRow, ContactWarning, CreateContact, DeleteContact, SavedContact, TagRef, UpdateContact, get_contact,
    list_contacts, list_tags,
};
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, FormError, refused, use_lang, use_user};
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Which tab of the card is open; each has its own URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardTab {
    Data,
    Sales,
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let tag = move || query.read().get("tag").unwrap_or_default();
    let after = move || query.read().get("after").unwrap_or_default();
    let tags = Resource::new(|| (), |_| list_tags());
    let page = Resource::new(move || (search(), tag(), after()), |(q, t, a)| list_contacts(Some(q), Some(t), Some(a)));
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{Msg::ContactsTitle.text(lang)}</h1>
                {use_user().is_some_and(|u| u.role.is_manager()).then(|| view! {
                    <a href="/contacts/tags" id="manage-tags">{Msg::ContactsManageTags.text(lang)}</a>
                    <a href="/import" id="import-link">{Msg::NavImport.text(lang)}</a>
                    <a href="/import/export/contacts.xlsx" id="export-contacts" download>{Msg::ExportXlsx.text(lang)}</a>
                })}
                <A href="/contacts/new" attr:class="button primary" attr:id="new-contact">{Msg::ContactsNew.text(lang)}</A>
            </div>
            <Form method="GET" action="" attr:class="search-bar" attr:id="contact-search">
                <input type="search" name="q" value=search placeholder=Msg::ContactsSearch.text(lang)
                    aria-label=Msg::ContactsSearch.text(lang) />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let all = tags.await.unwrap_or_default();
                        let current = tag();
                        view! {
                            <select name="tag" aria-label=Msg::FieldTags.text(lang)>
                                <option value="">{Msg::ContactsAllTags.text(lang)}</option>
                                {all.into_iter().map(|t| {
                                    let id = t.id.0.to_string();
                                    let selected = id == current;
                                    view! { <option value=id selected=selected>{t.name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <button type="submit">{Msg::ContactsSearchButton.text(lang)}</button>
            </Form>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.rows.is_empty() => view! { <p class="empty">{Msg::ContactsNone.text(lang)}</p> }.erase(),
                        Ok(page) => {
                            let next = page.next.map(|cursor: ContactCursor| {
                                format!("/contacts?q={}&tag={}&after={}", crate::form::url_encode(&search()), crate::form::url_encode(&tag()), crate::form::url_encode(&cursor.encode()))
                            });
                            let first = (!after().is_empty()).then(|| format!("/contacts?q={}&tag={}", crate::form::url_encode(&search()), crate::form::url_encode(&tag())));
                            view! {
                                <table class="data" id="contacts-table">
                                    <thead><tr>
                                        <th>{Msg::FieldName.text(lang)}</th>
                                        <th>{Msg::FieldCompany.text(lang)}</th>
                                        <th>{Msg::FieldEmail.text(lang)}</th>
                                        <th>{Msg::FieldVatNumber.text(lang)}</th>
                                        <th>{Msg::FieldCity.text(lang)}</th>
                                        <th>{Msg::FieldTags.text(lang)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| view! { <ContactRowView row=row /> }).collect_view()}
                                    </tbody>
                                </table>
                                <nav class="pager">
                                    {first.map(|href| view! { <A href=href attr:class="button">{Msg::ContactsFirst.text(lang)}</A> })}
                                    {next.map(|href| view! { <A href=href attr:class="button" attr:id="next-page">{Msg::ContactsNext.text(lang)}" →"</A> })}
                                </nav>
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ContactRowView(row: ContactRow) -> impl IntoView {
    let href = format!("/contacts/{}", row.id.0);
    view! {
        <tr data-contact-id=row.id.0>
            <td><A href=href>{row.name}</A></td>
            <td>{row.company}</td>
            <td>{row.email}</td>
            <td>{row.vat_number}</td>
            <td>{row.city}</td>
            <td>{row.tags.into_iter().map(|t| view! { <span class="chip">{t}</span> }).collect_view()}</td>
        </tr>
    }
}

#[component]
pub fn NewContactPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateContact>::new();
    let tags = Resource::new(|| (), |_| list_tags());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = create.value().get() {
            let navigate = use_navigate();
            navigate(&format!("/contacts/{}", saved.contact.id.0), Default::default());
        }
    });
    view! {
        <section class="panel">
            <p><A href="/contacts">"← "{Msg::ContactsBack.text(lang)}</A></p>
            <h1>{Msg::ContactsNew.text(lang)}</h1>
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    let all = tags.await.unwrap_or_default();
                    view! {
                        <ActionForm action=create attr:id="contact-form" attr:class="grid-form">{view! {
                            <ContactFields contact=None tags=all error=error />
                            <FormError error=error />
                            <div class="form-actions">
                                <button type="submit" class="primary" disabled=move || create.pending().get()>{Msg::ContactsCreate.text(lang)}</button>
                            </div>
                        }.erase()}</ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The inputs of a contact, filled from `contact` when editing.
#[component]
fn ContactFields(contact: Option<Contact>, tags: Vec<TagRef>, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let kind = contact.as_ref().map(|c| c.kind).unwrap_or(ContactKind::Company);
    let carried: Vec<i64> = contact.as_ref().map(|c| c.tags.iter().map(|t| t.id.0).collect()).unwrap_or_default();
    let text = |f: fn(&Contact) -> Option<String>| contact.as_ref().and_then(f).unwrap_or_default();
    let field = move |label: Msg, name: &'static str, value: String, field: Field, kind: &'static str| {
        view! {
            <label>
                {label.text(lang)}
                <input type=kind name=name value=value />
                <FieldError error=error field=field />
            </label>
        }
    };
    view! {
        <label>
            {Msg::FieldKind.text(lang)}
            <select name="kind">
                {ContactKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=k == kind>{k.label().text(lang)}</option> }).collect_view()}
            </select>
        </label>
        <label>
            {Msg::FieldName.text(lang)}
            <input type="text" name="name" required value=text(|c| Some(c.name.clone())) />
            <FieldError error=error field=Field::Name />
        </label>
        {field(Msg::FieldCompany, "company", text(|c| c.company.clone()), Field::Company, "text")}
        {field(Msg::FieldVatNumber, "vat_number", text(|c| c.vat_number.clone()), Field::VatNumber, "text")}
        {field(Msg::FieldTaxCode, "tax_code", text(|c| c.tax_code.clone()), Field::TaxCode, "text")}
        {field(Msg::FieldEmail, "email", text(|c| c.email.clone()), Field::Email, "text")}
        {field(Msg::FieldPhone, "phone", text(|c| c.phone.clone()), Field::Phone, "tel")}
        {field(Msg::FieldAddress, "address", text(|c| c.address.clone()), Field::Address, "text")}
        {field(Msg::FieldPostcode, "postcode", text(|c| c.postcode.clone()), Field::Postcode, "text")}
        {field(Msg::FieldCity, "city", text(|c| c.city.clone()), Field::City, "text")}
        {field(Msg::FieldProvince, "province", text(|c| c.province.clone()), Field::Province, "text")}
        {field(Msg::FieldCountry, "country", contact.as_ref().map(|c| c.country.clone()).unwrap_or_else(|| "IT".into()), Field::Country, "text")}
        <fieldset class="tags wide">
            <legend>{Msg::FieldTags.text(lang)}</legend>
            {tags.into_iter().map(|t| {
                let checked = carried.contains(&t.id.0);
                view! {
                    <label class="check" class:system=t.system>
                        <input type="checkbox" name="tags[]" value=t.id.0 checked=checked data-tag=t.name.clone() />
                        {t.name}
                    </label>
                }
            }).collect_view()}
            <label>
                {Msg::ContactsNewTags.text(lang)}
                <input type="text" name="new_tags" />
                <FieldError error=error field=Field::Tags />
            </label>
        </fieldset>
        <label class="wide">
            {Msg::FieldNotes.text(lang)}
            <textarea name="notes" rows="3">{text(|c| c.notes.clone())}</textarea>
            <FieldError error=error field=Field::Notes />
        </label>
    }
}

#[component]
fn Warnings(saved: Option<SavedContact>, lang: Lang) -> impl IntoView {
    saved.map(|saved| {
        saved
            .warnings
            .into_iter()
            .map(|w| {
                let (msg, id, name) = match w {
                    ContactWarning::SameVatNumber { id, name } => (Msg::ContactsWarnSameVat, id, name),
                    ContactWarning::SameEmail { id, name } => (Msg::ContactsWarnSameEmail, id, name),
                };
                view! { <p class="notice warn" role="status">{msg.text(lang)}" "<A href=format!("/contacts/{}", id.0)>{name}</A></p> }
            })
            .collect_view()
    })
}

/// The contact card: `/contacts/{id}` (Dati) and `/contacts/{id}/vendita` (Vendita).
#[component]
pub fn ContactCardPage(tab: CardTab) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let update = ServerAction::<UpdateContact>::new();
    let contact = Resource::new(move || (id(), update.version().get()), |(id, _)| get_contact(id));
    // What the tabs load is created here, beside the contact (see `SalesTabData`).
    // Each tab reads only what it shows: the tag list is for the Data tab's form.
    let tags = (tab == CardTab::Data).then(|| Resource::new(|| (), |_| list_tags()));
    let sales = (tab == CardTab::Sales).then(|| (crate::sales::pages::SalesTabData::new(id), crate::offers::pages::offers_of(id)));
    view! {
        <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                match contact.await {
                    Ok(contact) => view! { <ContactCard contact=contact update=update tags=tags sales=sales /> }.erase(),
                    Err(err) => {
                        #[cfg(feature = "ssr")]
                        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                            options.set_status(err.status());
                        }
                        refused(&err, lang)
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContactCard(
    contact: Contact,
    update: ServerAction<UpdateContact>,
    tags: Option<Resource<Result<Vec<TagRef>, AppError>>>,
    sales: Option<(crate::sales::pages::SalesTabData, crate::offers::pages::OffersData)>,
) -> impl IntoView {
    let lang = use_lang();
    let id = contact.id;
    let base = format!("/contacts/{}", id.0);
    let sales_href = format!("{base}/vendita");
    let kind = contact.kind.label().text(lang);
    let subtitle = [contact.company.clone(), contact.city.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let chips = contact.tags.clone();
    // The page created the data of its one tab: `tags` for Data, `sales` for Vendita.
    let body = match (tags, sales) {
        (Some(tags), _) => view! { <ContactDataTab contact=contact.clone() update=update tags=tags /> }.erase(),
        (None, Some((sales, offers))) if contact.sales_tab => view! {
            <crate::sales::pages::SalesTabView contact=id data=sales />
            <crate::offers::pages::OffersSection contact=id offers=offers />
        }
        .erase(),
        _ => {
            #[cfg(feature = "ssr")]
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(AppError::NoSalesTag.status());
            }
            refused(&AppError::NoSalesTag, lang)
        }
    };
    view! {
        <section class="panel card-head">
            <p><A href="/contacts">"← "{Msg::ContactsBack.text(lang)}</A></p>
            <h1 id="contact-name">{contact.name.clone()}</h1>
            <p class="muted">{kind}{(!subtitle.is_empty()).then(|| format!(" · {subtitle}"))}</p>
            <p>{chips.into_iter().map(|t| view! { <span class="chip" class:system=t.system>{t.name}</span> }).collect_view()}</p>
            <nav class="tabs" id="card-tabs">
                <A href=base.clone() exact=true attr:id="tab-data">{Msg::TabData.text(lang)}</A>
                {contact.sales_tab.then(|| view! { <A href=sales_href attr:id="tab-sales">{Msg::TabSales.text(lang)}</A> })}
            </nav>
        </section>
        {body}
    }
}

#[component]
fn ContactDataTab(contact: Contact, update: ServerAction<UpdateContact>, tags: Resource<Result<Vec<TagRef>, AppError>>) -> impl IntoView {
    let lang = use_lang();
    let delete = ServerAction::<DeleteContact>::new();
    let can_delete = use_user().is_some_and(|u| u.role.is_manager());
    let confirming = RwSignal::new(false);
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let delete_error = Signal::derive(move || delete.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            let navigate = use_navigate();
            navigate("/contacts", Default::default());
        }
    });
    let saved = move || update.value().get().and_then(|r| r.ok());
    let (id, version) = (contact.id.0, contact.version);
    let stamp = format!(
        "{} {} · {} {}",
        Msg::ContactsCreated.text(lang),
        contact.created_at.format("%d/%m/%Y %H:%M"),
        Msg::ContactsUpdated.text(lang),
        contact.updated_at.format("%d/%m/%Y %H:%M")
    );
    view! {
        <section class="panel" id="contact-data">
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {
                    let contact = contact.clone();
                    move || {
                        let contact = contact.clone();
                        Suspend::new(async move {
                            let all = tags.await.unwrap_or_default();
                            view! {
                                <ActionForm action=update attr:id="contact-form" attr:class="grid-form">{view! {
                                    <input type="hidden" name="id" value=id />
                                    <input type="hidden" name="version" value=version />
                                    <ContactFields contact=Some(contact) tags=all error=error />
                                    <FormError error=error />
                                    <div class="form-actions">
                                        <button type="submit" class="primary" disabled=move || update.pending().get()>{Msg::Save.text(lang)}</button>
                                    </div>
                                }.erase()}</ActionForm>
                            }
                        })
                    }
                }
            </Suspense>
            {move || saved().map(|s| view! { <p class="notice ok">{Msg::ContactsSaved.text(lang)}</p> <Warnings saved=Some(s) lang=lang /> })}
            <p class="muted small">{stamp}</p>
            // Deleting a contact is for managers and admins (SPEC §2); the server refuses members too.
            {can_delete.then(|| view! {
            <div class="danger-zone">
                <FormError error=delete_error />
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" id="delete-contact" on:click=move |_| confirming.set(true)>{Msg::Delete.text(lang)}</button>
                }>
                    <ActionForm action=delete attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <span>{Msg::ContactsDeleteConfirm.text(lang)}</span>
                        <button type="submit" class="danger" id="confirm-delete-contact">{Msg::ContactsDeleteYes.text(lang)}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{Msg::Cancel.text(lang)}</button>
                    }.erase()}</ActionForm>
                </Show>
            </div>
            })}
        </section>
    }
}
