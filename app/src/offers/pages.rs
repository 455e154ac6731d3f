//! The offers on a contact's *Vendita* tab, and the offer's page: `/contacts/{id}/offers/new`
//! writes a draft, `/offers/{id}` edits it (lines added, moved by drag or by the ↑ ↓ buttons,
//! removed; totals shown as you type, computed again by the server), sends it, and records the
//! customer's answer. A sent offer is shown as it was sent.

use super::totals::{Discount, Priced, line_net, totals};
use super::{
    AnswerOffer, CreateOffer, DeleteOffer, LineKind, MakeOfferFromSale, Offer, OfferForm, OfferLineForm, OfferMail, OfferRow, OfferState,
    OffersFilter, OffersPage, ReviseOffer, SendOffer, SentRevision, UpdateOffer, get_offer, list_offers, offer_revisions,
};
use crate::config::company::{Company, get_company};
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use crate::ids::ContactId;
use crate::money::{Money, Percent, Quantity};
use crate::sales::{SaleFormOptions, get_sale_form_options, sale_products};
use crate::ui::{Erase, FieldError, FormError, refused, use_lang};
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn state_class(state: OfferState) -> &'static str {
    match state {
        OfferState::Draft => "badge",
        OfferState::Sent => "badge info",
        OfferState::Accepted => "badge ok",
        OfferState::Rejected | OfferState::Expired => "badge warn",
    }
}

fn number_text(offer: &Offer, lang: Lang) -> String {
    offer.number.map(|n| n.label()).unwrap_or_else(|| Msg::OfferDraft.text(lang).to_string())
}

/// The customers' latest answers on the home page: who accepted online shows by name.
#[component]
pub fn OfferAnswers(rows: Vec<OfferRow>, currency: String) -> impl IntoView {
    let lang = use_lang();
    (!rows.is_empty()).then(|| {
        view! {
            <section class="desk-list" id="home-offers">
                <h2>{Msg::HomeOffersAnswered.text(lang)}</h2>
                <ul>
                    {rows.into_iter().map(|r| view! {
                        <li>
                            <a href=format!("/offers/{}", r.id.0)>{r.number.map(|n| n.label()).unwrap_or_default()}</a>
                            <span class="muted">" · "{r.customer.clone()}</span>
                            <div class="small">
                                <strong>{r.taxable.text(lang, &currency)}</strong>
                                " · "<span class=state_class(r.state)>{r.state.label().text(lang)}</span>
                                {r.decided_on.map(|d| format!(" · {}", lang.date(d)))}
                                {r.signed_by.map(|name| format!(" · {}: {name}", Msg::OfferOnline.text(lang)))}
                                " · "{r.seller.clone()}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// What the offers section loads: created by the card page beside the contact (see
/// `sales::pages::SalesTabData`).
pub type OffersData = Resource<Result<OffersPage, AppError>>;

/// The first page of one contact's offers, through the offers list's own query.
pub fn offers_of(contact: impl Fn() -> i64 + Send + Sync + 'static) -> OffersData {
    Resource::new(contact, |contact| list_offers(OffersFilter { contact: contact.to_string(), ..Default::default() }, None))
}

/// The offers section of the *Vendita* tab: the contact's offers the user may see, and a new one.
#[component]
pub fn OffersSection(contact: ContactId, offers: OffersData) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel" id="offers">
            <div class="panel-head">
                <h2>{Msg::OffersTitle.text(lang)}</h2>
                <A href=format!("/contacts/{}/offers/new", contact.0) attr:class="button primary" attr:id="new-offer">{Msg::OffersNew.text(lang)}</A>
            </div>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(list) if list.rows.is_empty() => view! { <p class="empty">{Msg::OffersNone.text(lang)}</p> }.erase(),
                        Ok(list) => {
                            let currency = list.currency.clone();
                            let more = list.next.is_some().then(|| view! {
                                <p><A href=format!("/offers?contact={}", contact.0)>{Msg::OffersAllOfContact.text(lang)}</A></p>
                            });
                            view! {
                                <OffersTable rows=list.rows currency id="offers-table" with_customer=false />
                                {more}
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A table of offers: the *Vendita* tab's (one customer: no customer column) and `/offers`'.
#[component]
fn OffersTable(rows: Vec<OfferRow>, currency: String, id: &'static str, with_customer: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-scroll">
        <table class="data" id=id>
            <thead><tr>
                <th>{Msg::OfferNumber.text(lang)}</th>
                <th>{Msg::FieldOfferDate.text(lang)}</th>
                {with_customer.then(|| view! { <th>{Msg::FieldContact.text(lang)}</th> })}
                <th>{Msg::FieldSeller.text(lang)}</th>
                <th>{Msg::OfferStateTitle.text(lang)}</th>
                <th>{Msg::FieldValidUntil.text(lang)}</th>
                <th class="num">{Msg::OfferTaxable.text(lang)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|o| {
                    let number = o.number.map(|n| n.label()).unwrap_or_else(|| Msg::OfferDraft.text(lang).to_string());
                    let customer = with_customer.then(|| view! {
                        <td><A href=format!("/contacts/{}/vendita", o.contact.0)>{o.customer}</A></td>
                    });
                    view! {
                        <tr data-offer=o.id.0>
                            <td><A href=format!("/offers/{}", o.id.0)>{number}</A></td>
                            <td>{lang.date(o.offer_date)}</td>
                            {customer}
                            <td>{o.seller}</td>
                            <td><span class=state_class(o.state)>{o.state.label().text(lang)}</span></td>
                            <td>{lang.date(o.valid_until)}</td>
                            <td class="num">{o.taxable.text(lang, &currency)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// `/offers`: every offer the user may see, newest first, filtered by state, seller and customer
/// (the filters live in the URL), with the count and taxable of the whole filtered set.
#[component]
pub fn OffersListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| OffersFilter::from_query(|k| query.read().get(k)));
    let after = Memo::new(move |_| query.read().get("after"));
    let page = Resource::new(move || (filter.get(), after.get()), |(f, a)| list_offers(f, a));
    let options = Resource::new(|| (), |_| get_sale_form_options());
    let href = move |f: &OffersFilter, after: Option<&str>| {
        let mut parts: Vec<String> = [("state", &f.state), ("seller", &f.seller), ("q", &f.q), ("contact", &f.contact)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::form::url_encode(v)))
            .collect();
        if let Some(after) = after {
            parts.push(format!("after={}", crate::form::url_encode(after)));
        }
        format!("/offers?{}", parts.join("&"))
    };
    view! {
        <section class="panel" id="offers-list">
            <div class="panel-head"><h1>{Msg::OffersTitle.text(lang)}</h1></div>
            <Form method="GET" action="/offers" attr:class="search-bar filters" attr:id="offers-filters">
                <input type="search" name="q" maxlength="100" value=move || filter.get().q placeholder=Msg::OffersSearch.text(lang) aria-label=Msg::OffersSearch.text(lang) />
                <select name="state" aria-label=Msg::OfferStateTitle.text(lang)>
                    {move || {
                        let current = filter.get().state;
                        std::iter::once(("", Msg::OffersAllStates.text(lang)))
                            .chain(OfferState::ALL.into_iter().map(|s| (s.code(), s.label().text(lang))))
                            .map(|(code, label)| view! { <option value=code selected=code == current>{label}</option> })
                            .collect_view()
                    }}
                </select>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let sellers = options.await.map(|o| o.sellers).unwrap_or_default();
                        let current = filter.get_untracked().seller;
                        view! {
                            <select name="seller" aria-label=Msg::FieldSeller.text(lang)>
                                <option value="">{Msg::SalesListAllSellers.text(lang)}</option>
                                {sellers.into_iter().map(|s| {
                                    let selected = s.id.0.to_string() == current;
                                    view! { <option value=s.id.0 selected=selected>{s.name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                // One contact's offers (from its Vendita tab) stay one contact's while filtering.
                <input type="hidden" name="contact" value=move || filter.get().contact />
                <button type="submit">{Msg::OffersApply.text(lang)}</button>
            </Form>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(list) => {
                            let f = filter.get_untracked();
                            let next = list.next.as_deref().map(|n| href(&f, Some(n)));
                            let first = after.get_untracked().is_some().then(|| href(&f, None));
                            let currency = list.currency.clone();
                            view! {
                                <p id="offers-count">{Msg::OffersCount.text(lang)}": "<strong>{list.count}</strong>
                                    " · "{Msg::OfferTaxable.text(lang)}": "<strong id="offers-taxable">{list.taxable.text(lang, &currency)}</strong></p>
                                {if list.rows.is_empty() {
                                    view! { <p class="empty">{Msg::OffersNoneFound.text(lang)}</p> }.erase()
                                } else {
                                    view! {
                                        <OffersTable rows=list.rows currency id="offers-list-table" with_customer=true />
                                    }.erase()
                                }}
                                <nav class="pager">
                                    {first.map(|href| view! { <a href=href class="button">{Msg::ContactsFirst.text(lang)}</a> })}
                                    {next.map(|href| view! { <a href=href class="button" id="offers-next">{Msg::ContactsNext.text(lang)}</a> })}
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

/// One line being edited: a key that stays with it when lines move, and its fields.
#[derive(Clone, Copy)]
struct LineDraft {
    key: usize,
    kind: RwSignal<String>,
    product: RwSignal<String>,
    description: RwSignal<String>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
    vat_rate: RwSignal<String>,
}

impl LineDraft {
    fn new(key: usize, form: OfferLineForm) -> LineDraft {
        LineDraft {
            key,
            kind: RwSignal::new(form.kind),
            product: RwSignal::new(form.product),
            description: RwSignal::new(form.description),
            quantity: RwSignal::new(form.quantity),
            unit: RwSignal::new(form.unit),
            unit_price: RwSignal::new(form.unit_price),
            discount: RwSignal::new(form.discount),
            vat_rate: RwSignal::new(form.vat_rate),
        }
    }

    fn form(&self) -> OfferLineForm {
        OfferLineForm {
            kind: self.kind.get(),
            product: self.product.get(),
            description: self.description.get(),
            quantity: self.quantity.get(),
            unit: self.unit.get(),
            unit_price: self.unit_price.get(),
            discount: self.discount.get(),
            vat_rate: self.vat_rate.get(),
        }
    }

    fn is_priced(&self) -> bool {
        LineKind::from_code(&self.kind.get()).is_some_and(LineKind::is_priced)
    }

    /// The line's net and VAT rate as typed, if they read.
    fn priced(&self) -> Option<Priced> {
        let quantity = Quantity::parse(&self.quantity.get()).ok()?;
        let price = Money::parse(&self.unit_price.get()).ok()?;
        let discount = Discount::parse(&self.discount.get()).ok()?;
        let vat_rate = Percent::parse(&self.vat_rate.get()).ok()?;
        Some(Priced { net: line_net(quantity, price, &discount), vat_rate })
    }
}

fn line_form(offer: &super::OfferLine) -> OfferLineForm {
    let priced = offer.kind.is_priced();
    OfferLineForm {
        kind: offer.kind.code().into(),
        product: offer.product.map(|p| p.0.to_string()).unwrap_or_default(),
        description: offer.description.clone(),
        quantity: if priced { offer.quantity.to_input_string() } else { String::new() },
        unit: offer.unit.clone(),
        unit_price: if priced { offer.unit_price.to_input_string() } else { String::new() },
        discount: offer.discount.code(),
        vat_rate: if priced { offer.vat_rate.to_input_string() } else { String::new() },
    }
}

/// `/contacts/{id}/offers/new`: a new draft for the contact.
#[component]
pub fn NewOfferPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let contact = params.read_untracked().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let options = Resource::new(|| (), |_| get_sale_form_options());
    let company = Resource::new(|| (), |_| get_company());
    // From a sale on the tab (`?sale=`): the offer is made of that sale, on the user's word.
    let from_sale = use_query_map().read_untracked().get("sale").and_then(|v| v.parse::<i64>().ok());
    let make = ServerAction::<MakeOfferFromSale>::new();
    Effect::new(move |_| {
        if let Some(Ok(offer)) = make.value().get() {
            use_navigate()(&format!("/offers/{}", offer.id.0), Default::default());
        }
    });
    let made_error = Signal::derive(move || make.value().get().and_then(|r| r.err()));
    let head = view! {
        <section class="panel card-head">
            <p><A href=format!("/contacts/{contact}/vendita")>"← "{Msg::OffersBack.text(lang)}</A></p>
            <h1>{Msg::OffersNew.text(lang)}</h1>
        </section>
    };
    if let Some(sale) = from_sale {
        return view! {
            {head}
            <section class="panel" id="offer-from-sale">
                <p>{Msg::OfferFromSaleHint.text(lang)}</p>
                <FormError error=made_error />
                <button type="button" class="primary" id="make-offer" disabled=move || make.pending().get()
                    on:click=move |_| { make.dispatch(MakeOfferFromSale { sale }); }>{Msg::OfferFromSale.text(lang)}</button>
            </section>
        }
        .erase();
    }
    view! {
        {head}
        <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                match (options.await, company.await) {
                    (Ok(options), Ok(company)) => view! { <OfferEditor contact=ContactId(contact) offer=None options=options company=company /> }.erase(),
                    (Err(err), _) | (_, Err(err)) => refused(&err, lang),
                }
            })}
        </Suspense>
    }
    .erase()
}

/// `/offers/{id}`: the offer, editable while a draft.
#[component]
pub fn OfferPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let refresh = RwSignal::new(0u32);
    let offer = Resource::new(move || (id(), refresh.get()), |(id, _)| get_offer(id));
    let options = Resource::new(|| (), |_| get_sale_form_options());
    let company = Resource::new(|| (), |_| get_company());
    let sends = Resource::new(move || (id(), refresh.get()), |(id, _)| offer_revisions(id));
    view! {
        <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                match (offer.await, options.await, company.await, sends.await) {
                    (Ok(offer), Ok(options), Ok(company), Ok(sends)) => {
                        view! { <OfferView offer=offer options=options company=company sends=sends refresh=refresh /> }.erase()
                    }
                    (Err(err), _, _, _) | (_, Err(err), _, _) | (_, _, Err(err), _) | (_, _, _, Err(err)) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(err.status());
                        }
                        refused(&err, lang)
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn OfferView(offer: Offer, options: SaleFormOptions, company: Company, sends: Vec<SentRevision>, refresh: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let contact = offer.customer.id;
    let number = number_text(&offer, lang);
    let customer = offer.customer.name.clone();
    let state = offer.state;
    let line = format!(
        " · {} · {} {}{}{}",
        offer.seller_name,
        Msg::FieldValidUntil.text(lang),
        lang.date(offer.valid_until),
        offer.decided_on.map(|d| format!(" · {} {}", Msg::OfferDecidedOn.text(lang), lang.date(d))).unwrap_or_default(),
        offer.lost_reason.clone().map(|r| format!(" · {r}")).unwrap_or_default()
    );
    let pdf = format!("/offers/{}/offer.pdf", offer.id.0);
    let head = view! {
        <section class="panel card-head" id="offer-head" data-state=state.code()>
            <p><A href=format!("/contacts/{}/vendita", contact.0)>"← "{customer}</A></p>
            <h1 id="offer-number">{Msg::OfferTitle.text(lang)}" "{number}</h1>
            <p><span class=state_class(state) id="offer-state">{state.label().text(lang)}</span>{line}</p>
            <p><a class="button" id="offer-pdf" rel="external" target="_blank" href=pdf>{Msg::OfferPdf.text(lang)}</a></p>
            {(!sends.is_empty()).then(|| view! {
                <ul class="small muted sends" id="offer-sends">
                    {sends.into_iter().map(|r| {
                        let at = r.sent_at.with_timezone(&chrono::Local);
                        let how = match r.sent_to {
                            Some(to) => Msg::OfferSentTo.text(lang).replace("{to}", &to),
                            None => Msg::OfferSent.text(lang).to_string(),
                        };
                        view! { <li>{format!("rev. {} · {} {} · {} · {how}", r.revision, lang.date(at.date_naive()), at.format("%H:%M"), r.sent_by)}</li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
    };
    let body = if offer.state == OfferState::Draft {
        view! { <OfferEditor contact=contact offer=Some(offer) options=options company=company refresh=refresh /> }.erase()
    } else {
        view! { <SentOffer offer=offer options=options refresh=refresh /> }.erase()
    };
    view! { {head}{body} }
}

/// A sent (or decided) offer: its lines as sent, and the customer's answer.
#[component]
fn SentOffer(offer: Offer, options: SaleFormOptions, refresh: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let answer = ServerAction::<AnswerOffer>::new();
    let revise = ServerAction::<ReviseOffer>::new();
    let error = Signal::derive(move || answer.value().get().and_then(|r| r.err()).or_else(|| revise.value().get().and_then(|r| r.err())));
    Effect::new(move |_| {
        if matches!(answer.value().get(), Some(Ok(_))) || matches!(revise.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    let (id, version) = (offer.id.0, offer.version);
    let waiting = matches!(offer.state, OfferState::Sent | OfferState::Expired);
    let reasons = options.lost_reasons.clone();
    let link = offer.accept_token.clone().filter(|_| waiting).map(|token| {
        let href = format!("/o/{token}");
        view! {
            <section class="panel" id="offer-link">
                <h2>{Msg::OfferLink.text(lang)}</h2>
                <p class="muted small">{Msg::OfferOnlineHint.text(lang)}</p>
                <p><a href=href.clone() id="offer-link-href" target="_blank" rel="noopener">{href.clone()}</a></p>
            </section>
        }
    });
    let signed = offer.signed.clone().map(|s| {
        let at = s.at.with_timezone(&chrono::Local);
        let text = Msg::OfferSigned
            .text(lang)
            .replace("{name}", &s.name)
            .replace("{date}", &lang.date(at.date_naive()))
            .replace("{time}", &at.format("%H:%M").to_string())
            .replace("{address}", &s.address);
        view! { <p class="notice ok" id="offer-signed">{text}</p> }
    });
    view! {
        {signed}
        {link}
        <section class="panel" id="offer-lines">
            <OfferTable offer=offer.clone() />
        </section>
        {waiting.then(|| view! {
            <section class="panel" id="offer-answer">
                <h2>{Msg::OfferAnswerTitle.text(lang)}</h2>
                <div class="answer-forms">
                    <ActionForm action=answer attr:id="accept-form" attr:class="answer-form">
                        {view! {
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="version" value=version />
                            <input type="hidden" name="answer" value="accepted" />
                            <label>{Msg::OfferAnswerDay.text(lang)}
                                <input type="text" inputmode="numeric" class="day" name="on" placeholder=lang.date_hint() value=lang.today() />
                            </label>
                            <button type="submit" class="primary" id="accept-offer">{Msg::OfferMarkAccepted.text(lang)}</button>
                        }.erase()}
                    </ActionForm>
                    <ActionForm action=answer attr:id="reject-form" attr:class="answer-form">
                        {view! {
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="version" value=version />
                            <input type="hidden" name="answer" value="rejected" />
                            <label>{Msg::OfferAnswerDay.text(lang)}
                                <input type="text" inputmode="numeric" class="day" name="on" placeholder=lang.date_hint() value=lang.today() />
                            </label>
                            <label>{Msg::FieldLostReason.text(lang)}
                                <select name="reason" required>
                                    <option value="">{Msg::LostPick.text(lang)}</option>
                                    {reasons.into_iter().map(|r| view! { <option value=r.id.0>{r.name}</option> }).collect_view()}
                                </select>
                                <FieldError error=error field=Field::LostReason />
                            </label>
                            <label>{Msg::FieldLostNote.text(lang)}<input type="text" name="note" maxlength="500" /></label>
                            <button type="submit" id="reject-offer">{Msg::OfferMarkRejected.text(lang)}</button>
                        }.erase()}
                    </ActionForm>
                </div>
                <FormError error=error />
                <ActionForm action=revise attr:id="revise-form">
                    {view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <p class="muted small">{Msg::OfferReviseHint.text(lang)}</p>
                        <button type="submit" id="revise-offer">{Msg::OfferRevise.text(lang)}</button>
                    }.erase()}
                </ActionForm>
            </section>
        })}
    }
}

/// The lines and totals of an offer as saved.
#[component]
pub(super) fn OfferTable(offer: Offer) -> impl IntoView {
    let lang = use_lang();
    let currency = offer.currency.clone();
    let money = move |m: Money| m.text(lang, &currency);
    view! {
        <div class="table-scroll">
        <table class="data offer-lines">
            <thead><tr>
                <th>{Msg::FieldDescription.text(lang)}</th>
                <th class="num">{Msg::FieldQuantity.text(lang)}</th>
                <th>{Msg::FieldUnit.text(lang)}</th>
                <th class="num">{Msg::FieldUnitPrice.text(lang)}</th>
                <th class="num">{Msg::FieldDiscount.text(lang)}</th>
                <th class="num">{Msg::FieldVatRate.text(lang)}</th>
                <th class="num">{Msg::FieldNet.text(lang)}</th>
            </tr></thead>
            <tbody>
                {offer.lines.iter().map(|l| match l.kind {
                    LineKind::Section => view! { <tr class="section"><th colspan="7">{l.description.clone()}</th></tr> }.erase(),
                    LineKind::Note => view! { <tr class="note"><td colspan="7" class="muted">{l.description.clone()}</td></tr> }.erase(),
                    _ => view! {
                        <tr data-sale-id=l.sale.map(|s| s.0)>
                            <td>{(!l.code.is_empty()).then(|| format!("{} ", l.code))}{l.description.clone()}</td>
                            <td class="num">{l.quantity.number(lang)}</td>
                            <td>{l.unit.clone()}</td>
                            <td class="num">{money(l.unit_price)}</td>
                            <td class="num">{l.discount.text(lang)}</td>
                            <td class="num">{l.vat_rate.text(lang)}</td>
                            <td class="num">{money(l.net)}</td>
                        </tr>
                    }.erase(),
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <TotalsBox totals=offer.totals.clone() currency=offer.currency.clone() />
    }
}

#[component]
fn TotalsBox(totals: super::OfferTotals, currency: String) -> impl IntoView {
    let lang = use_lang();
    let money = move |m: Money| m.text(lang, &currency);
    view! {
        <table class="data compact offer-totals" id="offer-totals">
            <tbody>
                {totals.vat_rows.iter().map(|r| view! {
                    <tr class="muted small">
                        <td>{Msg::OfferTaxable.text(lang)}" "{r.rate.text(lang)}</td>
                        <td class="num">{money(r.taxable)}</td>
                        <td>{Msg::OfferVat.text(lang)}</td>
                        <td class="num">{money(r.vat)}</td>
                    </tr>
                }).collect_view()}
                <tr><th colspan="3">{Msg::OfferTaxable.text(lang)}</th><td class="num" id="offer-taxable">{money(totals.taxable)}</td></tr>
                <tr><th colspan="3">{Msg::OfferVat.text(lang)}</th><td class="num" id="offer-vat">{money(totals.vat)}</td></tr>
                <tr class="total"><th colspan="3">{Msg::OfferTotal.text(lang)}</th><td class="num" id="offer-total"><strong>{money(totals.total)}</strong></td></tr>
            </tbody>
        </table>
    }
}

/// The draft's form: its terms and its lines, saved as a whole.
#[component]
fn OfferEditor(
    contact: ContactId,
    offer: Option<Offer>,
    options: SaleFormOptions,
    company: Company,
    #[prop(optional)] refresh: Option<RwSignal<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let currency = StoredValue::new(options.currency.clone());
    let existing = offer.as_ref().map(|o| (o.id.0, o.version));
    let start = offer.as_ref();
    let text = |f: fn(&Offer) -> String, default: String| RwSignal::new(start.map(f).unwrap_or(default));
    let seller = text(|o| o.seller.0.to_string(), options.default_seller.map(|s| s.0.to_string()).unwrap_or_default());
    let language = text(|o| o.language.code().to_string(), lang.code().to_string());
    let offer_date = text(|o| o.offer_date.to_string(), chrono::Utc::now().date_naive().to_string());
    let valid_until = text(|o| o.valid_until.to_string(), String::new());
    let payment_terms = text(|o| o.payment_terms.clone(), String::new());
    let delivery_terms = text(|o| o.delivery_terms.clone(), String::new());
    // A new offer starts from the company's texts.
    let intro = text(|o| o.intro.clone(), company.offer_intro.clone());
    let closing = text(|o| o.closing.clone(), company.offer_closing.clone());
    let online = RwSignal::new(start.is_some_and(|o| o.online_acceptance));
    let validity_hint = Msg::OfferValidityHint.text(lang).replace("{n}", &company.validity_days.to_string());
    for day in [offer_date, valid_until] {
        day.update(|d| *d = lang.date_input(d));
    }
    let next_key = StoredValue::new(0usize);
    let new_line = move |form: OfferLineForm| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        LineDraft::new(key, form)
    };
    let lines = RwSignal::new(start.map(|o| o.lines.iter().map(|l| new_line(line_form(l))).collect::<Vec<_>>()).unwrap_or_default());
    let add = move |kind: LineKind| {
        let form = OfferLineForm {
            kind: kind.code().into(),
            quantity: if kind.is_priced() { "1".into() } else { String::new() },
            vat_rate: if kind.is_priced() { "22".into() } else { String::new() },
            ..Default::default()
        };
        lines.update(|l| l.push(new_line(form)));
    };
    let shift = move |key: usize, by: isize| {
        lines.update(|l| {
            if let Some(i) = l.iter().position(|d| d.key == key) {
                let j = i as isize + by;
                if (0..l.len() as isize).contains(&j) {
                    l.swap(i, j as usize);
                }
            }
        })
    };
    let remove = move |key: usize| lines.update(|l| l.retain(|d| d.key != key));
    // Drag and drop: the dragged line goes where it is dropped.
    let dragged = RwSignal::new(None::<usize>);
    let drop_on = move |target: usize| {
        if let Some(from) = dragged.get_untracked() {
            lines.update(|l| {
                if let (Some(i), Some(j)) = (l.iter().position(|d| d.key == from), l.iter().position(|d| d.key == target)) {
                    let line = l.remove(i);
                    l.insert(j, line);
                }
            });
        }
        dragged.set(None);
    };
    let form = move || OfferForm {
        seller: seller.get(),
        language: language.get(),
        offer_date: offer_date.get(),
        valid_until: valid_until.get(),
        payment_terms: payment_terms.get(),
        delivery_terms: delivery_terms.get(),
        intro: intro.get(),
        closing: closing.get(),
        online_acceptance: online.get(),
        lines: lines.get().iter().map(LineDraft::form).collect(),
    };
    let preview = move || totals(lines.get().iter().filter(|l| l.is_priced()).filter_map(LineDraft::priced));

    let create = ServerAction::<CreateOffer>::new();
    let update = ServerAction::<UpdateOffer>::new();
    let send = ServerAction::<SendOffer>::new();
    let delete = ServerAction::<DeleteOffer>::new();
    let error = RwSignal::new(None::<AppError>);
    let saved_notice = RwSignal::new(false);
    // Set by the send buttons: saved first, then sent (`Some(mail)`: e-mailed).
    let sending_after_save = RwSignal::new(None::<Option<OfferMail>>);
    let mail_lang = start.map(|o| o.language).unwrap_or(lang);
    let mail_number =
        start.and_then(|o| o.number).map(|n| n.label()).unwrap_or_else(|| if mail_lang == Lang::It { "[numero]".into() } else { "[number]".into() });
    let mail_to = RwSignal::new(start.map(|o| o.customer.email.clone()).unwrap_or_default());
    let mail_subject = RwSignal::new(Msg::MailSubjectDefault.text(mail_lang).replace("{number}", &mail_number).replace("{company}", &company.name));
    let mail_text = RwSignal::new(
        Msg::MailTextDefault
            .text(mail_lang)
            .replace("{number}", &mail_number)
            .replace("{valid}", &start.map(|o| mail_lang.date(o.valid_until)).unwrap_or_default())
            .replace("{company}", &company.name),
    );
    let mail_on = company.mail;
    let version = RwSignal::new(existing.map(|(_, v)| v));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(offer)) => {
            let navigate = use_navigate();
            navigate(&format!("/offers/{}", offer.id.0), Default::default());
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    Effect::new(move |_| match update.value().get() {
        Some(Ok(offer)) => {
            error.set(None);
            version.set(Some(offer.version));
            saved_notice.set(true);
            if let Some(mail) = sending_after_save.get_untracked() {
                sending_after_save.set(None);
                send.dispatch(SendOffer { id: offer.id.0, version: offer.version, mail });
            }
        }
        Some(Err(err)) => {
            sending_after_save.set(None);
            error.set(Some(err));
        }
        None => {}
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            if let Some(refresh) = refresh {
                refresh.update(|n| *n += 1);
            }
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            let navigate = use_navigate();
            navigate(&format!("/contacts/{}/vendita", contact.0), Default::default());
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let save = move || {
        saved_notice.set(false);
        match (existing, version.get_untracked()) {
            (Some((id, _)), Some(v)) => {
                update.dispatch(UpdateOffer { id, version: v, form: form() });
            }
            _ => {
                create.dispatch(CreateOffer { contact: contact.0, form: form() });
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save();
    };
    let pending = move || create.pending().get() || update.pending().get() || send.pending().get() || delete.pending().get();
    let error_signal = Signal::derive(move || error.get());
    let line_error = move |key: usize, field: Field| {
        Signal::derive(move || {
            let index = lines.with(|l| l.iter().position(|d| d.key == key))? as u32 + 1;
            match error.get() {
                Some(AppError::InvalidLine { line, field: f, .. }) if line == index && f == field => error.get(),
                _ => None,
            }
        })
    };
    // Read in the browser only: the server draws the lines without the product list.
    let products = LocalResource::new(|| sale_products(None, None));
    let product_list = move || products.get().and_then(Result::ok).unwrap_or_default();
    let sellers = options.sellers.clone();
    view! {
        <form id="offer-form" class="panel" on:submit=submit>
            <div class="grid-form">
                <label>{Msg::FieldSeller.text(lang)}
                    <select name="seller" prop:value=move || seller.get() on:change=move |ev| seller.set(event_target_value(&ev))>
                        {sellers.into_iter().map(|s| view! { <option value=s.id.0>{s.name}</option> }).collect_view()}
                    </select>
                    <FieldError error=error_signal field=Field::Seller />
                </label>
                <label>{Msg::FieldLanguage.text(lang)}
                    <select name="language" prop:value=move || language.get() on:change=move |ev| language.set(event_target_value(&ev))>
                        <option value="it">"Italiano"</option>
                        <option value="en">"English"</option>
                    </select>
                </label>
                <label>{Msg::FieldOfferDate.text(lang)}
                    <input type="text" inputmode="numeric" class="day" name="offer_date" placeholder=lang.date_hint() prop:value=move || offer_date.get() on:input=move |ev| offer_date.set(event_target_value(&ev)) />
                    <FieldError error=error_signal field=Field::OfferDate />
                </label>
                <label>{Msg::FieldValidUntil.text(lang)}
                    <input type="text" inputmode="numeric" class="day" name="valid_until" placeholder=validity_hint prop:value=move || valid_until.get() on:input=move |ev| valid_until.set(event_target_value(&ev)) />
                    <FieldError error=error_signal field=Field::ValidUntil />
                </label>
                <label>{Msg::FieldPaymentTerms.text(lang)}
                    <input type="text" name="payment_terms" list="payment-terms" maxlength="500" prop:value=move || payment_terms.get() on:input=move |ev| payment_terms.set(event_target_value(&ev)) />
                    <datalist id="payment-terms">{company.payment_terms.iter().map(|t| view! { <option value=t.clone() /> }).collect_view()}</datalist>
                    <FieldError error=error_signal field=Field::PaymentTerms />
                </label>
                <label>{Msg::FieldDeliveryTerms.text(lang)}
                    <input type="text" name="delivery_terms" list="delivery-terms" maxlength="500" prop:value=move || delivery_terms.get() on:input=move |ev| delivery_terms.set(event_target_value(&ev)) />
                    <datalist id="delivery-terms">{company.delivery_terms.iter().map(|t| view! { <option value=t.clone() /> }).collect_view()}</datalist>
                    <FieldError error=error_signal field=Field::DeliveryTerms />
                </label>
                <label class="wide">{Msg::FieldIntro.text(lang)}
                    <textarea name="intro" rows="2" prop:value=move || intro.get() on:input=move |ev| intro.set(event_target_value(&ev))></textarea>
                    <FieldError error=error_signal field=Field::Intro />
                </label>
            </div>
            <h2>{Msg::FieldLines.text(lang)}</h2>
            <p class="muted small">{Msg::OfferLinesHint.text(lang)}</p>
            <ol class="offer-editor" id="offer-editor">
                <For each=move || lines.get() key=|l| l.key let:line>
                    {
                        let key = line.key;
                        let kind = line.kind.get_untracked();
                        let priced = LineKind::from_code(&kind).is_some_and(LineKind::is_priced);
                        let choose_product = move |ev: leptos::ev::Event| {
                            let id = event_target_value(&ev);
                            line.product.set(id.clone());
                            if let Some(p) = product_list().into_iter().find(|p| p.id.0.to_string() == id) {
                                // Pre-filled from the product, still editable.
                                line.description.set(p.name);
                                line.unit.set(p.unit);
                                line.unit_price.set(p.list_price.to_input_string());
                                line.vat_rate.set(p.vat_rate.to_input_string());
                            }
                        };
                        let net = move || line.priced().map(|p| p.net.text(lang, &currency.get_value())).unwrap_or_else(|| "—".into());
                        view! {
                            <li class="offer-line" class:priced=priced data-kind=kind.clone() draggable="true"
                                on:dragstart=move |_| dragged.set(Some(key))
                                on:dragover=move |ev| ev.prevent_default()
                                on:drop=move |ev| { ev.prevent_default(); drop_on(key) }>
                                <span class="grip" aria-hidden="true">"⋮⋮"</span>
                                {(kind == "product").then(|| view! {
                                    <label class="product">{Msg::FieldProduct.text(lang)}
                                        <select name="product" on:change=choose_product>
                                            <option value="">{Msg::SalesPickProduct.text(lang)}</option>
                                            {move || {
                                                let chosen = line.product.get();
                                                let listed = product_list();
                                                // A product since deactivated stays on the line that has it.
                                                let kept = (!chosen.is_empty() && !listed.iter().any(|p| p.id.0.to_string() == chosen))
                                                    .then(|| view! { <option value=chosen.clone() selected=true>{line.description.get_untracked()}</option> });
                                                view! {
                                                    {kept}
                                                    {listed.into_iter().map(|p| {
                                                        let selected = p.id.0.to_string() == chosen;
                                                        view! { <option value=p.id.0 selected=selected>{p.code}" — "{p.name}</option> }
                                                    }).collect_view()}
                                                }
                                            }}
                                        </select>
                                        <FieldError error=line_error(key, Field::Product) field=Field::Product />
                                    </label>
                                })}
                                <label class="description">{match kind.as_str() { "section" => Msg::OfferSection, "note" => Msg::OfferNote, _ => Msg::FieldDescription }.text(lang)}
                                    <input type="text" name="description" maxlength="2000" prop:value=move || line.description.get() on:input=move |ev| line.description.set(event_target_value(&ev)) />
                                    <FieldError error=line_error(key, Field::Description) field=Field::Description />
                                </label>
                                {priced.then(|| view! {
                                    <label class="qty">{Msg::FieldQuantity.text(lang)}
                                        <input type="text" inputmode="decimal" name="quantity" prop:value=move || line.quantity.get() on:input=move |ev| line.quantity.set(event_target_value(&ev)) />
                                        <FieldError error=line_error(key, Field::Quantity) field=Field::Quantity />
                                    </label>
                                    <label class="unit">{Msg::FieldUnit.text(lang)}
                                        <input type="text" name="unit" maxlength="20" prop:value=move || line.unit.get() on:input=move |ev| line.unit.set(event_target_value(&ev)) />
                                    </label>
                                    <label class="price">{Msg::FieldUnitPrice.text(lang)}
                                        <input type="text" inputmode="decimal" name="unit_price" prop:value=move || line.unit_price.get() on:input=move |ev| line.unit_price.set(event_target_value(&ev)) />
                                        <FieldError error=line_error(key, Field::UnitPrice) field=Field::UnitPrice />
                                    </label>
                                    <label class="discount">{Msg::FieldDiscount.text(lang)}
                                        <input type="text" name="discount" placeholder="10+5" prop:value=move || line.discount.get() on:input=move |ev| line.discount.set(event_target_value(&ev)) />
                                        <FieldError error=line_error(key, Field::Discount) field=Field::Discount />
                                    </label>
                                    <label class="vat">{Msg::FieldVatRate.text(lang)}
                                        <select name="vat_rate" prop:value=move || line.vat_rate.get() on:change=move |ev| line.vat_rate.set(event_target_value(&ev))>
                                            {crate::catalog::VAT_RATES.into_iter().map(|r| view! { <option value=r.to_input_string()>{r.to_string()}"%"</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <span class="net num" data-net="">{net}</span>
                                })}
                                <span class="line-actions">
                                    <button type="button" class="icon" title=Msg::OfferMoveUp.text(lang) aria-label=Msg::OfferMoveUp.text(lang) on:click=move |_| shift(key, -1)>"↑"</button>
                                    <button type="button" class="icon" title=Msg::OfferMoveDown.text(lang) aria-label=Msg::OfferMoveDown.text(lang) on:click=move |_| shift(key, 1)>"↓"</button>
                                    <button type="button" class="icon" title=Msg::OfferRemoveLine.text(lang) aria-label=Msg::OfferRemoveLine.text(lang) on:click=move |_| remove(key)>"✕"</button>
                                </span>
                            </li>
                        }
                    }
                </For>
            </ol>
            <div class="add-lines">
                <button type="button" id="add-product" on:click=move |_| add(LineKind::Product)>"+ "{Msg::FieldProduct.text(lang)}</button>
                <button type="button" id="add-text" on:click=move |_| add(LineKind::Text)>"+ "{Msg::OfferFreeLine.text(lang)}</button>
                <button type="button" id="add-section" on:click=move |_| add(LineKind::Section)>"+ "{Msg::OfferSection.text(lang)}</button>
                <button type="button" id="add-note" on:click=move |_| add(LineKind::Note)>"+ "{Msg::OfferNote.text(lang)}</button>
            </div>
            {move || preview().map(|t| view! { <TotalsBox totals=t currency=currency.get_value() /> })}
            <label class="wide">{Msg::FieldClosing.text(lang)}
                <textarea name="closing" rows="2" prop:value=move || closing.get() on:input=move |ev| closing.set(event_target_value(&ev))></textarea>
                <FieldError error=error_signal field=Field::Closing />
            </label>
            <label class="check wide" id="offer-online">
                <input type="checkbox" name="online_acceptance" prop:checked=move || online.get() on:change=move |ev| online.set(event_target_checked(&ev)) />
                {Msg::OfferOnline.text(lang)}
                <span class="muted small">" — "{Msg::OfferOnlineHint.text(lang)}</span>
            </label>
            {move || error.get().map(|e| view! { <FormError error=Signal::derive(move || Some(e.clone())) /> })}
            {move || saved_notice.get().then(|| view! { <p class="notice ok" role="status" id="offer-saved">{Msg::OfferSaved.text(lang)}</p> })}
            {(mail_on && existing.is_some()).then(|| view! {
                <fieldset class="mail" id="offer-mail">
                    <legend>{Msg::MailTitle.text(lang)}</legend>
                    <label>{Msg::MailTo.text(lang)}
                        <input type="text" name="mail_to" maxlength="1000" prop:value=move || mail_to.get() on:input=move |ev| mail_to.set(event_target_value(&ev)) />
                        <span class="muted small">{Msg::MailToHint.text(lang)}</span>
                        <FieldError error=error_signal field=Field::MailTo />
                    </label>
                    <label>{Msg::MailSubject.text(lang)}
                        <input type="text" name="mail_subject" maxlength="200" prop:value=move || mail_subject.get() on:input=move |ev| mail_subject.set(event_target_value(&ev)) />
                        <FieldError error=error_signal field=Field::MailSubject />
                    </label>
                    <label class="wide">{Msg::MailText.text(lang)}
                        <textarea name="mail_text" rows="6" prop:value=move || mail_text.get() on:input=move |ev| mail_text.set(event_target_value(&ev))></textarea>
                        <FieldError error=error_signal field=Field::MailText />
                    </label>
                    <button type="button" class="primary" id="mail-offer" disabled=pending
                        on:click=move |_| {
                            let mail = OfferMail { to: mail_to.get_untracked(), subject: mail_subject.get_untracked(), text: mail_text.get_untracked() };
                            sending_after_save.set(Some(Some(mail)));
                            save();
                        }>{Msg::MailSend.text(lang)}</button>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="primary" id="save-offer" disabled=pending>{Msg::OfferSaveDraft.text(lang)}</button>
                {existing.map(|(id, _)| view! {
                    <button type="button" id="send-offer" disabled=pending
                        on:click=move |_| { sending_after_save.set(Some(None)); save(); }>{Msg::OfferMarkSent.text(lang)}</button>
                    <button type="button" id="delete-offer" class="danger" disabled=pending
                        on:click=move |_| { if let Some(v) = version.get_untracked() { delete.dispatch(DeleteOffer { id, version: v }); } }>{Msg::OfferDeleteDraft.text(lang)}</button>
                })}
            </div>
        </form>
    }
}
