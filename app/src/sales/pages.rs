//! The *Vendita* tab of a contact card: totals, the sales the user may see (newest first), the
//! quick form to register or edit a sale with its totals shown as you type (the server computes
//! them again), delete with confirmation, and each sale's history.

use super::{
    CreateSale, DeleteSale, HistoryAction, HistoryEntry, HistoryValue, Sale, SaleCursor, SaleForm, SaleFormOptions, SaleTotals, Stage, UpdateSale,
    get_sale, get_sale_form_options, get_sales_tab, sale_history, sale_products,
};
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use crate::ids::ContactId;
use crate::money::{Money, Percent, Quantity, line_totals};
use crate::ui::{Erase, FieldError, FormError, refused, use_lang};
use chrono::NaiveDate;
use leptos::prelude::*;

fn date(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map(|d| lang.date(d)).unwrap_or_default()
}

/// What the Vendita tab loads. Created by the card page itself, beside the contact, not inside the
/// card's `Suspend`: a resource created two suspense levels down is read in a different order by the
/// server and by the hydrating page, and the hydration breaks.
#[derive(Clone, Copy)]
pub struct SalesTabData {
    refresh: RwSignal<u32>,
    cursor: RwSignal<Option<SaleCursor>>,
    tab: Resource<Result<super::SalesTab, AppError>>,
    options: Resource<Result<SaleFormOptions, AppError>>,
    search: RwSignal<String>,
    category: RwSignal<String>,
    /// Set when the form is first used (pointer or focus on it, or an edit): only then is the
    /// product picker's list read. Most views of a card only read it, so the page carries no
    /// product list.
    wanted: RwSignal<bool>,
    products: Resource<Result<Vec<crate::catalog::ProductRow>, AppError>>,
}

impl SalesTabData {
    pub fn new(contact: impl Fn() -> i64 + Send + Sync + Copy + 'static) -> SalesTabData {
        let refresh = RwSignal::new(0u32);
        let cursor = RwSignal::new(None::<SaleCursor>);
        let tab = Resource::new(
            move || (contact(), refresh.get(), cursor.get()),
            move |(contact, _, after)| get_sales_tab(contact, after.map(|c| c.encode())),
        );
        let options = Resource::new(|| (), |_| get_sale_form_options());
        let search = RwSignal::new(String::new());
        let category = RwSignal::new(String::new());
        let wanted = RwSignal::new(false);
        let products = Resource::new(
            move || (wanted.get(), search.get(), category.get()),
            |(wanted, s, c)| async move { if wanted { sale_products(Some(s), Some(c)).await } else { Ok(Vec::new()) } },
        );
        SalesTabData { refresh, cursor, tab, options, search, category, wanted, products }
    }
}

#[component]
pub fn SalesTabView(contact: ContactId, data: SalesTabData) -> impl IntoView {
    let lang = use_lang();
    let SalesTabData { refresh, cursor, tab, options, search, category, wanted, products } = data;
    let editing = RwSignal::new(None::<Sale>);
    let notice = RwSignal::new(None::<Msg>);
    let history_of = RwSignal::new(None::<super::SaleId>);
    // One delete action and one confirmation for the whole list, not one per row.
    let delete = ServerAction::<DeleteSale>::new();
    let confirming = RwSignal::new(None::<super::SaleId>);
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            confirming.set(None);
            notice.set(Some(Msg::SalesDeleted));
            refresh.update(|n| *n += 1);
        }
    });
    let rows = RowActions { editing, history_of, delete, confirming };
    // `?sale=ID` (from the home page or the sales list) opens that sale in the form. Read in the
    // browser only: the server draws the tab without it.
    let query = leptos_router::hooks::use_query_map();
    let opened = LocalResource::new(move || {
        let id = query.read().get("sale").and_then(|s| s.parse::<i64>().ok());
        async move {
            match id {
                Some(id) => get_sale(id).await.ok(),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(sale) = opened.get().flatten() {
            editing.set(Some(sale));
            #[cfg(feature = "hydrate")]
            if let Some(form) = document().get_element_by_id("sale-form-panel") {
                form.scroll_into_view();
            }
        }
    });
    view! {
        <section class="panel" id="sales-tab">
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match tab.await {
                        Ok(tab) => {
                            let currency = tab.currency.clone();
                            let next = tab.next.clone();
                            view! {
                                <Totals totals=tab.totals.clone() currency=currency.clone() />
                                <h2>{Msg::SalesTitle.text(lang)}</h2>
                                {if tab.sales.is_empty() {
                                    view! { <p class="empty">{Msg::SalesNone.text(lang)}</p> }.erase()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                        <table class="data sales" id="sales-table">
                                            <thead><tr>
                                                <th>{Msg::FieldSaleDate.text(lang)}</th>
                                                <th>{Msg::FieldProduct.text(lang)}</th>
                                                <th>{Msg::FieldSeller.text(lang)}</th>
                                                <th class="num">{Msg::FieldQuantity.text(lang)}</th>
                                                <th class="num">{Msg::SalesPrice.text(lang)}</th>
                                                <th class="num">{Msg::FieldNet.text(lang)}</th>
                                                <th class="num">{Msg::FieldGross.text(lang)}</th>
                                                <th>{Msg::FieldStage.text(lang)}</th>
                                                <th>{Msg::FieldExpectedClose.text(lang)}</th>
                                                <th>{Msg::Actions.text(lang)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {tab.sales.into_iter().map(|sale| view! {
                                                    <SaleRowView sale=sale currency=currency.clone() actions=rows notice=notice />
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        </div>
                                    }.erase()
                                }}
                                <nav class="pager">
                                    {move || cursor.get().is_some().then(|| view! {
                                        <button type="button" on:click=move |_| cursor.set(None)>{Msg::ContactsFirst.text(lang)}</button>
                                    })}
                                    {next.map(|next| view! {
                                        <button type="button" id="older-sales" on:click=move |_| cursor.set(Some(next.clone()))>{Msg::SalesMore.text(lang)}</button>
                                    })}
                                </nav>
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
            {move || notice.get().map(|m| view! { <p class="notice ok" role="status">{m.text(lang)}</p> })}
            {move || history_of.get().map(|id| view! { <SaleHistoryView id=id /> })}
        </section>
        <section class="panel" id="sale-form-panel">
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! {
                            <SaleFormView contact=contact options=options editing=editing refresh=refresh notice=notice search=search category=category wanted=wanted products=products />
                        }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Totals(totals: SaleTotals, currency: String) -> impl IntoView {
    let lang = use_lang();
    let figure = |label: Msg, amount: Money, count: Option<u64>, id: &'static str| {
        view! {
            <div class="figure" id=id>
                <span class="label">{label.text(lang)}</span>
                <strong>{amount.text(lang, &currency)}</strong>
                {count.map(|n| view! { <span class="muted small">{n}" "{if n == 1 { Msg::SalesCountOne } else { Msg::SalesCount }.text(lang)}</span> })}
            </div>
        }
    };
    view! {
        <div class="figures" id="sales-totals">
            {figure(Msg::SalesWon, totals.won, Some(totals.won_count), "total-won")}
            {figure(Msg::SalesOpen, totals.open, Some(totals.open_count), "total-open")}
            {figure(Msg::SalesWeighted, totals.weighted, None, "total-weighted")}
        </div>
    }
}

/// What every row's buttons act on: shared by the whole list.
#[derive(Clone, Copy)]
struct RowActions {
    editing: RwSignal<Option<Sale>>,
    history_of: RwSignal<Option<super::SaleId>>,
    delete: ServerAction<DeleteSale>,
    /// The sale whose deletion waits for "yes" (or failed: its error shows in its row).
    confirming: RwSignal<Option<super::SaleId>>,
}

#[component]
fn SaleRowView(sale: Sale, currency: String, actions: RowActions, notice: RwSignal<Option<Msg>>) -> impl IntoView {
    let lang = use_lang();
    let RowActions { editing, history_of, delete, confirming } = actions;
    let (id, version) = (sale.id, sale.version);
    let stage = sale.stage;
    let cells = view! {
        <td>{date(Some(sale.sale_date), lang)}</td>
        <td>{sale.product.code.clone()}" "<span class="muted">{sale.product.name.clone()}</span></td>
        <td>{sale.seller.name.clone()}</td>
        <td class="num">{sale.quantity.number(lang)}" "{sale.product.unit.clone()}</td>
        <td class="num">{sale.unit_price.text(lang, &currency)}
            {(sale.discount != Percent::ZERO).then(|| view! { <span class="muted small">" −"{sale.discount.text(lang)}</span> })}
        </td>
        <td class="num net">{sale.net.text(lang, &currency)}</td>
        <td class="num">{sale.gross.text(lang, &currency)}</td>
        <td><span class=format!("stage-badge {}", stage.code())>{stage.label().text(lang)}</span>" "<span class="muted small">{sale.probability}"%"</span>
            {sale.lost_reason.as_ref().map(|r| view! { <div class="muted small lost-reason" title=sale.lost_note.clone().unwrap_or_default()>{r.name.clone()}</div> })}
        </td>
        <td>{date(sale.expected_close, lang)}{sale.closed_date.map(|d| view! { <div class="muted small">{Msg::FieldClosedDate.text(lang)}": "{date(Some(d), lang)}</div> })}</td>
    };
    // An open sale can become an offer (offers' `NewOfferPage`, `?sale=`).
    let offer_href = stage.is_open().then(|| format!("/contacts/{}/offers/new?sale={}", sale.contact.0, id.0));
    // A won sale's payments (commissions' `CollectionsPage`).
    let collections_href = (stage == super::Stage::Won).then(|| format!("/sales/{}/collections", id.0));
    let for_edit = StoredValue::new(sale);
    view! {
        <tr data-sale-id=id.0 class=format!("stage-{}", stage.code()) class:editing=move || editing.with(|e| e.as_ref().is_some_and(|e| e.id == id))>
            {cells}
            <td class="actions">
                <button type="button" class="edit-sale" on:click=move |_| { notice.set(None); editing.set(Some(for_edit.get_value())) }>{Msg::Edit.text(lang)}</button>
                <button type="button" class="history-sale" on:click=move |_| history_of.update(|h| *h = if *h == Some(id) { None } else { Some(id) })>{Msg::SalesHistory.text(lang)}</button>
                {offer_href.map(|href| view! { <a class="button make-offer" href=href>{Msg::OfferFromSale.text(lang)}</a> })}
                {collections_href.map(|href| view! { <a class="button collections" href=href>{Msg::ColLink.text(lang)}</a> })}
                {move || if confirming.get() == Some(id) {
                    let failed = Signal::derive(move || delete.value().get().and_then(|r| r.err()));
                    view! {
                        <span class="confirm">
                            {Msg::SalesDeleteConfirm.text(lang)}" "
                            <button type="button" class="danger confirm-delete-sale" on:click=move |_| { delete.dispatch(DeleteSale { id: id.0, version }); }>{Msg::SalesDeleteYes.text(lang)}</button>
                            <button type="button" on:click=move |_| confirming.set(None)>{Msg::Cancel.text(lang)}</button>
                        </span>
                        <FormError error=failed />
                    }.erase()
                } else {
                    view! {
                        <button type="button" class="delete-sale" on:click=move |_| { delete.clear(); confirming.set(Some(id)) }>{Msg::Delete.text(lang)}</button>
                    }.erase()
                }}
            </td>
        </tr>
    }
}

/// "created: product · qty × price · stage · seller", or just "created" when no summary was stored.
fn summary_text(action: Msg, summary: Option<HistoryValue>, lang: Lang) -> String {
    match summary.map(|s| s.text(lang)).filter(|s| !s.is_empty()) {
        None => action.text(lang).to_string(),
        Some(summary) => format!("{}: {summary}", action.text(lang)),
    }
}

#[component]
fn SaleHistoryView(id: super::SaleId) -> impl IntoView {
    let lang = use_lang();
    let entries = Resource::new(move || id, |id| sale_history(id.0));
    view! {
        <div class="history" id="sale-history">
            <h3>{Msg::SalesHistory.text(lang)}</h3>
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(entries) => view! {
                            <table class="data compact">
                                <tbody>
                                    {entries.into_iter().rev().map(|e: HistoryEntry| {
                                        let value = |v: Option<HistoryValue>| v.map(|v| v.text(lang)).unwrap_or_else(|| "—".to_string());
                                        let what = match (e.action, e.field) {
                                            (HistoryAction::Create, _) => summary_text(Msg::SalesHistoryCreated, e.new, lang),
                                            (HistoryAction::Import, _) => summary_text(Msg::HistoryImported, e.new, lang),
                                            (HistoryAction::Delete, _) => summary_text(Msg::SalesHistoryDeleted, e.old, lang),
                                            (HistoryAction::Offer, None) => summary_text(Msg::HistoryOffer, e.new, lang),
                                            (HistoryAction::Update | HistoryAction::Offer, field) => format!(
                                                "{}: {} → {}",
                                                field.map(|f| f.label().text(lang)).unwrap_or_default(),
                                                value(e.old),
                                                value(e.new),
                                            ),
                                        };
                                        view! {
                                            <tr data-field=e.field.map(|f| f.code()).unwrap_or_default()>
                                                <td class="muted small">{e.at.format("%d/%m/%Y %H:%M").to_string()}</td>
                                                <td>{e.user}</td>
                                                <td>{what}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The form as typed, and the chosen product's label (shown beside the picker, not sent).
#[derive(Clone, Default)]
struct Inputs {
    form: SaleForm,
    product_label: String,
}

impl Inputs {
    fn blank(options: &SaleFormOptions, lang: Lang) -> Inputs {
        let form = SaleForm {
            seller: options.default_seller.map(|s| s.0.to_string()).unwrap_or_default(),
            quantity: "1".into(),
            discount: "0".into(),
            vat_rate: "22".into(),
            stage: Stage::Lead.code().into(),
            probability: options.probabilities.lead.to_string(),
            sale_date: lang.today(),
            ..Default::default()
        };
        Inputs { form, product_label: String::new() }
    }

    /// The sale in the form, its days written as the reader's language writes them.
    fn of(sale: &Sale, lang: Lang) -> Inputs {
        let mut form = SaleForm::of(sale);
        for day in [&mut form.sale_date, &mut form.expected_close, &mut form.closed_date] {
            *day = lang.date_input(day);
        }
        Inputs { form, product_label: format!("{} {}", sale.product.code, sale.product.name) }
    }
}

/// The quick form: registers a new sale, or edits the one in `editing`.
#[component]
fn SaleFormView(
    contact: ContactId,
    options: SaleFormOptions,
    editing: RwSignal<Option<Sale>>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<Msg>>,
    search: RwSignal<String>,
    category: RwSignal<String>,
    wanted: RwSignal<bool>,
    products: Resource<Result<Vec<crate::catalog::ProductRow>, AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateSale>::new();
    let update = ServerAction::<UpdateSale>::new();
    let inputs = RwSignal::new(Inputs::blank(&options, lang));
    let conflict = RwSignal::new(None::<Sale>);
    let error = RwSignal::new(None::<AppError>);
    let probabilities = options.probabilities;
    let blank = StoredValue::new(Inputs::blank(&options, lang));
    let currency = StoredValue::new(options.currency.clone());

    let want = move || {
        if !wanted.get_untracked() {
            wanted.set(true);
        }
    };
    // Editing another sale (or none) refills the form.
    Effect::new(move |_| {
        let values = editing.get().as_ref().map(|sale| Inputs::of(sale, lang)).unwrap_or_else(|| blank.get_value());
        if editing.with(Option::is_some) {
            want();
        }
        inputs.set(values);
        error.set(None);
    });
    let after_save = move |result: Option<Result<Sale, AppError>>| match result {
        Some(Ok(_)) => {
            conflict.set(None);
            error.set(None);
            editing.set(None);
            inputs.set(blank.get_value());
            notice.set(Some(Msg::SalesSaved));
            refresh.update(|n| *n += 1);
        }
        Some(Err(AppError::SaleConflict(current))) => {
            // Nothing was saved: show what the sale holds now and edit from there.
            match current.sale::<Sale>() {
                Some(current) => {
                    conflict.set(Some(current.clone()));
                    editing.set(Some(current));
                }
                None => error.set(Some(AppError::Transport("sale".into()))),
            }
            refresh.update(|n| *n += 1);
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    };
    Effect::new(move |_| after_save(create.value().get()));
    Effect::new(move |_| after_save(update.value().get()));

    let set = move |f: fn(&mut Inputs, String)| move |ev: leptos::ev::Event| inputs.update(|i| f(i, event_target_value(&ev)));
    let totals = move || {
        let i = inputs.get();
        let q = Quantity::parse(&i.form.quantity).ok()?;
        let p = Money::parse(&i.form.unit_price).ok()?;
        let d = if i.form.discount.trim().is_empty() { Some(Percent::ZERO) } else { Percent::parse(&i.form.discount).ok() }?;
        let v = Percent::parse(&i.form.vat_rate).ok()?;
        Some(line_totals(q, p, d, v))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let i = inputs.get_untracked();
        match editing.get_untracked() {
            Some(sale) => {
                update.dispatch(UpdateSale { id: sale.id.0, version: sale.version, form: i.form });
            }
            None => {
                create.dispatch(CreateSale { contact: contact.0, form: i.form });
            }
        }
    };
    let error_signal = Signal::derive(move || error.get());
    let pending = move || create.pending().get() || update.pending().get();
    let no_sellers = options.sellers.is_empty();
    let sellers = options.sellers.clone();
    let categories = options.categories.clone();
    let offered = StoredValue::new(options.lost_reasons.clone());
    // The reasons offered, and the one the edited sale names if it has since been archived.
    let reasons = move || {
        let mut list = offered.get_value();
        if let Some(r) = editing.with(|e| e.as_ref().and_then(|s| s.lost_reason.clone())).filter(|r| !list.iter().any(|o| o.id == r.id)) {
            list.push(r);
        }
        list
    };
    view! {
        <h2 id="sale-form-title">{move || if editing.get().is_some() { Msg::SalesEdit.text(lang) } else { Msg::SalesNew.text(lang) }}</h2>
        {no_sellers.then(|| view! { <p class="notice warn">{Msg::SalesNoSellers.text(lang)}</p> })}
        {move || conflict.get().map(|current| view! {
            <div class="notice error conflict" role="alert" id="sale-conflict">
                <p>{Msg::ErrSaleConflict.text(lang)}</p>
                <p><strong>{Msg::SalesCurrentValues.text(lang)}":"</strong>" "
                    {current.stage.label().text(lang)}" · "{current.quantity.number(lang)}" × "{current.unit_price.text(lang, &currency.get_value())}
                    " · "{Msg::FieldNet.text(lang)}" "{current.net.text(lang, &currency.get_value())}
                    " · "{Msg::SalesUpdatedBy.text(lang)}" "{current.updated_by.clone()}
                </p>
            </div>
        })}
        <form id="sale-form" class="grid-form" on:submit=submit on:pointerover=move |_| want() on:focusin=move |_| want()>
            <fieldset class="product-picker wide">
                <legend>{Msg::FieldProduct.text(lang)}</legend>
                <select aria-label=Msg::FieldCategory.text(lang) name="category_filter" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{Msg::CategoryAll.text(lang)}</option>
                    {categories.into_iter().map(|c| view! {
                        <option value=c.id.0>{"\u{a0}\u{a0}".repeat(c.depth)}{c.name}</option>
                    }).collect_view()}
                </select>
                <input type="search" name="product_search" placeholder=Msg::SalesProductSearch.text(lang)
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let found = products.await.unwrap_or_default();
                        let current = inputs.with_untracked(|i| (i.form.product.clone(), i.product_label.clone()));
                        let listed = found.iter().any(|p| p.id.0.to_string() == current.0);
                        let found_for_change = StoredValue::new(found.clone());
                        view! {
                            <select name="product" required aria-label=Msg::FieldProduct.text(lang)
                                prop:value=move || inputs.with(|i| i.form.product.clone())
                                on:change=move |ev| {
                                    let id = event_target_value(&ev);
                                    let product = found_for_change.with_value(|all| all.iter().find(|p| p.id.0.to_string() == id).cloned());
                                    inputs.update(|i| {
                                        i.form.product = id.clone();
                                        if let Some(p) = product {
                                            // Pre-filled from the product, still editable.
                                            i.product_label = format!("{} {}", p.code, p.name);
                                            i.form.unit_price = p.list_price.to_input_string();
                                            i.form.vat_rate = p.vat_rate.to_input_string();
                                        }
                                    });
                                }>
                                <option value="">{Msg::SalesPickProduct.text(lang)}</option>
                                {(!listed && !current.0.is_empty()).then(|| view! { <option value=current.0.clone()>{current.1.clone()}</option> })}
                                {found.into_iter().map(|p| view! {
                                    <option value=p.id.0 data-code=p.code.clone()>{p.code.clone()}" — "{p.name.clone()}" ("{p.unit.clone()}")"</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
                <FieldError error=error_signal field=Field::Product />
            </fieldset>
            <label>
                {Msg::FieldQuantity.text(lang)}
                <input type="text" inputmode="decimal" name="quantity" prop:value=move || inputs.with(|i| i.form.quantity.clone()) on:input=set(|i, v| i.form.quantity = v) />
                <FieldError error=error_signal field=Field::Quantity />
            </label>
            <label>
                {Msg::FieldUnitPrice.text(lang)}
                <input type="text" inputmode="decimal" name="unit_price" prop:value=move || inputs.with(|i| i.form.unit_price.clone()) on:input=set(|i, v| i.form.unit_price = v) />
                <FieldError error=error_signal field=Field::UnitPrice />
            </label>
            <label>
                {Msg::FieldDiscount.text(lang)}
                <input type="text" inputmode="decimal" name="discount" prop:value=move || inputs.with(|i| i.form.discount.clone()) on:input=set(|i, v| i.form.discount = v) />
                <FieldError error=error_signal field=Field::Discount />
            </label>
            <label>
                {Msg::FieldVatRate.text(lang)}" %"
                <select name="vat_rate" prop:value=move || inputs.with(|i| i.form.vat_rate.clone()) on:change=set(|i, v| i.form.vat_rate = v)>
                    {crate::catalog::VAT_RATES.into_iter().map(|r| view! { <option value=r.to_input_string()>{r.to_string()}"%"</option> }).collect_view()}
                </select>
                <FieldError error=error_signal field=Field::VatRate />
            </label>
            <label>
                {Msg::FieldSeller.text(lang)}
                <select name="seller" prop:value=move || inputs.with(|i| i.form.seller.clone()) on:change=set(|i, v| i.form.seller = v)>
                    {sellers.into_iter().map(|s| view! { <option value=s.id.0>{s.name}</option> }).collect_view()}
                </select>
                <FieldError error=error_signal field=Field::Seller />
            </label>
            <label>
                {Msg::FieldStage.text(lang)}
                <select name="stage" prop:value=move || inputs.with(|i| i.form.stage.clone())
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        inputs.update(|i| {
                            if let Some(stage) = Stage::from_code(&code) {
                                i.form.probability = probabilities.of(stage).to_string();
                                if !stage.is_open() && i.form.closed_date.is_empty() {
                                    i.form.closed_date = lang.today();
                                }
                            }
                            i.form.stage = code;
                        });
                    }>
                    {Stage::ALL.into_iter().map(|s| view! { <option value=s.code()>{s.label().text(lang)}</option> }).collect_view()}
                </select>
                <FieldError error=error_signal field=Field::Stage />
            </label>
            <label>
                {Msg::FieldProbability.text(lang)}
                <input type="number" min="0" max="100" name="probability" prop:value=move || inputs.with(|i| i.form.probability.clone()) on:input=set(|i, v| i.form.probability = v)
                    prop:readonly=move || inputs.with(|i| i.form.stage == "won" || i.form.stage == "lost") />
                <FieldError error=error_signal field=Field::Probability />
            </label>
            <label>
                {Msg::FieldSaleDate.text(lang)}
                <input type="text" inputmode="numeric" class="day" name="sale_date" placeholder=lang.date_hint() prop:value=move || inputs.with(|i| i.form.sale_date.clone()) on:input=set(|i, v| i.form.sale_date = v) />
                <FieldError error=error_signal field=Field::SaleDate />
            </label>
            <label>
                {Msg::FieldExpectedClose.text(lang)}
                <input type="text" inputmode="numeric" class="day" name="expected_close" placeholder=lang.date_hint() prop:value=move || inputs.with(|i| i.form.expected_close.clone()) on:input=set(|i, v| i.form.expected_close = v) />
                <FieldError error=error_signal field=Field::ExpectedClose />
            </label>
            <Show when=move || inputs.with(|i| i.form.stage == "won" || i.form.stage == "lost")>
                <label>
                    {Msg::FieldClosedDate.text(lang)}
                    <input type="text" inputmode="numeric" class="day" name="closed_date" required placeholder=lang.date_hint() prop:value=move || inputs.with(|i| i.form.closed_date.clone())
                        on:input=set(|i, v| i.form.closed_date = v) />
                    <FieldError error=error_signal field=Field::ClosedDate />
                </label>
            </Show>
            <Show when=move || inputs.with(|i| i.form.stage == "lost")>
                <label>
                    {Msg::FieldLostReason.text(lang)}
                    <select name="lost_reason" required prop:value=move || inputs.with(|i| i.form.lost_reason.clone()) on:change=set(|i, v| i.form.lost_reason = v)>
                        <option value="">{Msg::LostPick.text(lang)}</option>
                        {move || reasons().into_iter().map(|r| view! { <option value=r.id.0>{r.name}</option> }).collect_view()}
                    </select>
                    <FieldError error=error_signal field=Field::LostReason />
                </label>
                <label>
                    {Msg::FieldLostNote.text(lang)}
                    <input type="text" name="lost_note" maxlength="500" prop:value=move || inputs.with(|i| i.form.lost_note.clone()) on:input=set(|i, v| i.form.lost_note = v) />
                    <FieldError error=error_signal field=Field::LostNote />
                </label>
            </Show>
            <label class="wide">
                {Msg::FieldNotes.text(lang)}
                <textarea name="notes" rows="2" prop:value=move || inputs.with(|i| i.form.notes.clone()) on:input=set(|i, v| i.form.notes = v)></textarea>
                <FieldError error=error_signal field=Field::Notes />
            </label>
            <div class="live-totals wide" id="live-totals">
                {move || match totals() {
                    Some((net, gross)) => view! {
                        <span>{Msg::FieldNet.text(lang)}": "<strong id="live-net">{net.text(lang, &currency.get_value())}</strong></span>
                        <span>{Msg::FieldGross.text(lang)}": "<strong id="live-gross">{gross.text(lang, &currency.get_value())}</strong></span>
                    }.erase(),
                    None => view! { <span class="muted">{Msg::FieldNet.text(lang)}": —"</span> }.erase(),
                }}
            </div>
            {move || error.get().filter(|e| !matches!(e, AppError::SaleConflict(_))).map(|e| view! { <FormError error=Signal::derive(move || Some(e.clone())) /> })}
            <div class="form-actions wide">
                <button type="submit" class="primary" id="save-sale" disabled=move || pending() || no_sellers>
                    {move || if editing.get().is_some() { Msg::Save.text(lang) } else { Msg::SalesRegister.text(lang) }}
                </button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" id="cancel-edit" on:click=move |_| { conflict.set(None); editing.set(None) }>{Msg::Cancel.text(lang)}</button>
                </Show>
            </div>
        </form>
    }
}
