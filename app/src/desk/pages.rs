//! The home page and the sales list (`/sales`).

use super::{DeskSale, Home, ListTotals, SalesFilter, SalesSort, get_home, list_sales};
use crate::config::lost_reasons::list_lost_reasons;
use crate::i18n::{Lang, Msg};
use crate::money::Money;
use crate::sales::{MoveSale, Stage, get_sale_form_options};
use crate::ui::{Erase, Refusal, refused, use_lang, use_user};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn day(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map(|d| lang.date(d)).unwrap_or_default()
}

fn figure(label: Msg, value: String, note: Option<String>, id: &'static str, lang: Lang) -> impl IntoView {
    view! {
        <div class="figure" id=id>
            <span class="label">{label.text(lang)}</span>
            <strong>{value}</strong>
            {note.map(|n| view! { <span class="muted small">{n}</span> })}
        </div>
    }
}

fn count_text(n: u64, lang: Lang) -> String {
    format!("{n} {}", if n == 1 { Msg::SalesCountOne } else { Msg::SalesCount }.text(lang))
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <section class="panel home" id="home">
            <h1>{Msg::HomeWelcome.text(lang)}", "{user.map(|u| u.display_name)}</h1>
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <HomeBody home=home /> }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HomeBody(home: Home) -> impl IntoView {
    let lang = use_lang();
    let currency = home.currency.clone();
    let money = move |m: Money| m.text(lang, &currency);
    let last_year = format!("{} {}", Msg::HomeLastYear.text(lang), money(home.won_last_year));
    let scope = if home.team { Msg::HomeTeam } else { Msg::HomeMine };
    view! {
        {home.wizard.map(|w| view! {
            <div class="notice warn" id="home-wizard">
                <p>
                    <strong>{Msg::HomeWizard.text(lang)}</strong>" "
                    {Msg::HomeWizardDone.text(lang).replace("{done}", &w.done.to_string()).replace("{total}", &w.total.to_string())}
                </p>
                <p><a class="button primary" href=w.next.path()>{Msg::HomeWizardNext.text(lang)}": "{w.next.label().text(lang)}</a></p>
            </div>
        })}
        <p class="muted">{scope.text(lang)}</p>
        <div class="figures" id="home-figures">
            {figure(Msg::HomeWonMonth, money(home.won_month), Some(format!("{} · {last_year}", count_text(home.won_month_count, lang))), "home-won", lang)}
            {figure(Msg::SalesOpen, money(home.pipeline), Some(count_text(home.pipeline_count, lang)), "home-pipeline", lang)}
            {figure(Msg::SalesWeighted, money(home.weighted), None, "home-weighted", lang)}
            {figure(Msg::HomeOverdue, home.overdue_count.to_string(), None, "home-overdue-count", lang)}
            // A seller's own commissions: this month's, and what is to be settled (his statement).
            {home.commissions.as_ref().map(|c| view! {
                <a class="figure" id="home-commissions" href=format!("/commissions/{}", c.seller.0)>
                    <span class="label">{Msg::HomeCommissions.text(lang)}</span>
                    <strong>{money(c.earned)}</strong>
                    <span class="muted small">{Msg::ComToSettle.text(lang)}": "{money(c.to_settle)}</span>
                </a>
            })}
        </div>
        <div class="home-lists">
            <DeskList id="home-overdue" title=Msg::HomeOverdue sales=home.overdue currency=home.currency.clone() empty=Msg::HomeNoOverdue
                more=Some("/sales?overdue=1&sort=close") />
            <DeskList id="home-soon" title=Msg::HomeClosingSoon sales=home.closing_soon currency=home.currency.clone() empty=Msg::HomeNoneSoon more=None />
            <DeskList id="home-recent" title=Msg::HomeRecent sales=home.recent currency=home.currency.clone() empty=Msg::HomeNoneRecent more=Some("/sales") />
            <crate::offers::pages::OfferAnswers rows=home.offers_answered currency=home.currency.clone() />
        </div>
        <h2>{Msg::AttTitle.text(lang)}</h2>
        <crate::targets::pages::AttainmentTable rows=home.attainment currency=home.currency.clone() />
        {(!home.sellers.is_empty()).then(|| view! {
            <h2>{Msg::HomeSellers.text(lang)}</h2>
            <div class="table-scroll">
                <table class="data" id="home-sellers">
                    <thead><tr>
                        <th>{Msg::FieldSeller.text(lang)}</th>
                        <th class="num">{Msg::HomeWonMonth.text(lang)}</th>
                        <th class="num">{Msg::SalesOpen.text(lang)}</th>
                        <th class="num">{Msg::HomeOverdue.text(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {home.sellers.into_iter().map(|s| view! {
                            <tr>
                                <td><a href=format!("/sales?seller={}", s.id.0)>{s.name}</a></td>
                                <td class="num">{money(s.won_month)}</td>
                                <td class="num">{money(s.pipeline)}</td>
                                <td class="num">{s.overdue}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// One block of deals on the home page, each linking to the sale on its contact.
#[component]
fn DeskList(id: &'static str, title: Msg, sales: Vec<DeskSale>, currency: String, empty: Msg, more: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="desk-list" id=id>
            <h2>{title.text(lang)}</h2>
            {if sales.is_empty() {
                view! { <p class="empty">{empty.text(lang)}</p> }.erase()
            } else {
                view! {
                    <ul>
                        {sales.into_iter().map(|s| view! {
                            <li data-sale-id=s.id.0>
                                <a href=s.href()>{s.contact_name.clone()}</a>
                                <span class="muted">" · "{s.product.clone()}</span>
                                <div class="small">
                                    <strong>{s.net.text(lang, &currency)}</strong>
                                    " · "<span class=format!("stage-badge {}", s.stage.code())>{s.stage.label().text(lang)}</span>
                                    {s.expected_close.map(|d| format!(" · {} {}", Msg::FieldExpectedClose.text(lang), lang.date(d)))}
                                    " · "{s.seller.clone()}
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.erase()
            }}
            {more.map(|href| view! { <a href=href class="small">{Msg::HomeSeeAll.text(lang)}</a> })}
        </section>
    }
}

// ---------------------------------------------------------------- the sales list

#[component]
pub fn SalesListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| SalesFilter::from_query(|k| query.read().get(k)));
    let after = Memo::new(move |_| query.read().get("after"));
    let refresh = RwSignal::new(0u32);
    let page = Resource::new(move || (filter.get(), after.get(), refresh.get()), |(f, a, _)| list_sales(f, a));
    let moving = ServerAction::<MoveSale>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = moving.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel" id="sales-list">
            <div class="panel-head">
                <h1>{Msg::SalesListTitle.text(lang)}</h1>
                <a href=move || format!("/sales/board?{}", filter.get().query()) id="to-board">{Msg::SalesListBoard.text(lang)}</a>
            </div>
            <SalesFilterBar action="/sales" filter=filter />
            <Refusal error=Signal::derive(move || moving.value().get().and_then(|r| r.err())) />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(list) => {
                            let f = filter.get_untracked();
                            let next = list.next.clone().map(|n| format!("/sales?{}&after={}", f.query(), crate::form::url_encode(&n)));
                            let first = after.get_untracked().is_some().then(|| format!("/sales?{}", f.query()));
                            view! {
                                <ListTotalsView totals=list.totals.clone() currency=list.currency.clone() />
                                {if list.rows.is_empty() {
                                    view! { <p class="empty">{Msg::SalesListNone.text(lang)}</p> }.erase()
                                } else {
                                    view! { <SalesTable rows=list.rows currency=list.currency filter=f moving=moving /> }.erase()
                                }}
                                <nav class="pager">
                                    {first.map(|href| view! { <a href=href class="button">{Msg::ContactsFirst.text(lang)}</a> })}
                                    {next.map(|href| view! { <a href=href class="button" id="sales-next">{Msg::ContactsNext.text(lang)}</a> })}
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

/// The filters of the sales list and the board, sent as a GET form: they live in the URL.
#[component]
pub fn SalesFilterBar(action: &'static str, filter: Memo<SalesFilter>) -> impl IntoView {
    let lang = use_lang();
    let options = Resource::new(|| (), |_| get_sale_form_options());
    view! {
        <Form method="GET" action=action attr:class="search-bar filters" attr:id="sales-filters">
            <input type="search" name="q" value=move || filter.get().q placeholder=Msg::SalesListSearch.text(lang) aria-label=Msg::SalesListSearch.text(lang) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let options = options.await.ok();
                    let f = filter.get_untracked();
                    let sellers = options.as_ref().map(|o| o.sellers.clone()).unwrap_or_default();
                    let categories = options.map(|o| o.categories).unwrap_or_default();
                    view! {
                        <select name="seller" aria-label=Msg::FieldSeller.text(lang)>
                            <option value="">{Msg::SalesListAllSellers.text(lang)}</option>
                            {sellers.into_iter().map(|s| {
                                let selected = s.id.0.to_string() == f.seller;
                                view! { <option value=s.id.0 selected=selected>{s.name}</option> }
                            }).collect_view()}
                        </select>
                        <select name="category" aria-label=Msg::FieldCategory.text(lang)>
                            <option value="">{Msg::CategoryAll.text(lang)}</option>
                            {categories.into_iter().map(|c| {
                                let selected = c.id.0.to_string() == f.category;
                                view! { <option value=c.id.0 selected=selected>{"\u{a0}\u{a0}".repeat(c.depth)}{c.name}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            <select name="stage" aria-label=Msg::FieldStage.text(lang)>
                {move || {
                    let current = filter.get().stage;
                    let choices = [("", Msg::SalesListAllStages.text(lang)), ("open", Msg::SalesListOpenStages.text(lang))]
                        .into_iter()
                        .chain(Stage::ALL.into_iter().map(|s| (s.code(), s.label().text(lang))));
                    choices.map(|(code, label)| view! { <option value=code selected=code == current>{label}</option> }).collect_view()
                }}
            </select>
            <label class="inline-label">{Msg::FieldSaleDate.text(lang)}" "
                <input type="text" inputmode="numeric" class="day" name="from" value=move || lang.date_input(&filter.get().from) placeholder=lang.date_hint() aria-label=Msg::SalesListFrom.text(lang) />
                "–"<input type="text" inputmode="numeric" class="day" name="to" value=move || lang.date_input(&filter.get().to) placeholder=lang.date_hint() aria-label=Msg::SalesListTo.text(lang) />
            </label>
            <label class="inline-label">{Msg::FieldExpectedClose.text(lang)}" "
                <input type="text" inputmode="numeric" class="day" name="close_from" value=move || lang.date_input(&filter.get().close_from) placeholder=lang.date_hint() aria-label=Msg::SalesListCloseFrom.text(lang) />
                "–"<input type="text" inputmode="numeric" class="day" name="close_to" value=move || lang.date_input(&filter.get().close_to) placeholder=lang.date_hint() aria-label=Msg::SalesListCloseTo.text(lang) />
            </label>
            <label class="inline-label">
                <input type="checkbox" name="overdue" value="1" checked=move || !filter.get().overdue.is_empty() />
                {Msg::SalesListOverdueOnly.text(lang)}
            </label>
            <input type="hidden" name="sort" value=move || filter.get().sort />
            <button type="submit" class="primary">{Msg::SalesListApply.text(lang)}</button>
            <a href="/sales" class="button">{Msg::SalesListReset.text(lang)}</a>
        </Form>
    }
}

#[component]
fn ListTotalsView(totals: ListTotals, currency: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="figures" id="sales-list-totals">
            {figure(Msg::SalesListCount, totals.count.to_string(), None, "list-count", lang)}
            {figure(Msg::FieldNet, totals.net.text(lang, &currency), None, "list-net", lang)}
            {figure(Msg::SalesWeighted, totals.weighted.text(lang, &currency), None, "list-weighted", lang)}
        </div>
    }
}

/// A column heading that sorts by its column; a second click turns the order round.
fn sort_heading(label: Msg, column: [SalesSort; 2], filter: &SalesFilter, lang: Lang) -> impl IntoView + use<> {
    let current = SalesSort::from_code(&filter.sort).unwrap_or_default();
    let active = column.contains(&current);
    let target = if active { current.flipped() } else { column[0] };
    let href = format!("/sales?{}", SalesFilter { sort: target.code().to_string(), ..filter.clone() }.query());
    let (arrow, aria) = match (active, current.descending()) {
        (false, _) => ("", "none"),
        (true, true) => (" ↓", "descending"),
        (true, false) => (" ↑", "ascending"),
    };
    view! { <th aria-sort=aria><a href=href>{label.text(lang)}{arrow}</a></th> }
}

/// A stage change waiting for its close date (won, lost) and reason (lost).
#[derive(Clone)]
pub struct PendingMove {
    pub id: crate::sales::SaleId,
    pub version: i32,
    pub stage: Stage,
    pub closed_date: String,
    /// The lost reason's id, and the note beside it.
    pub reason: String,
    pub note: String,
}

impl PendingMove {
    pub fn new(sale: &DeskSale, stage: Stage, lang: Lang) -> PendingMove {
        PendingMove { id: sale.id, version: sale.version, stage, closed_date: lang.today(), reason: String::new(), note: String::new() }
    }

    pub fn dispatch(self, moving: ServerAction<MoveSale>) {
        moving.dispatch(MoveSale {
            id: self.id.0,
            version: self.version,
            stage: self.stage.code().to_string(),
            closed_date: Some(self.closed_date),
            lost_reason: Some(self.reason),
            lost_note: Some(self.note),
        });
    }
}

#[component]
fn SalesTable(rows: Vec<DeskSale>, currency: String, filter: SalesFilter, moving: ServerAction<MoveSale>) -> impl IntoView {
    let lang = use_lang();
    let pending = RwSignal::new(None::<PendingMove>);
    view! {
        <div class="table-scroll">
            <table class="data sales" id="sales-list-table">
                <thead><tr>
                    <th>{Msg::FieldContact.text(lang)}</th>
                    <th>{Msg::FieldProduct.text(lang)}</th>
                    <th>{Msg::FieldSeller.text(lang)}</th>
                    {sort_heading(Msg::FieldSaleDate, [SalesSort::DateDesc, SalesSort::DateAsc], &filter, lang)}
                    {sort_heading(Msg::FieldNet, [SalesSort::NetDesc, SalesSort::NetAsc], &filter, lang)}
                    <th>{Msg::FieldStage.text(lang)}</th>
                    {sort_heading(Msg::FieldExpectedClose, [SalesSort::CloseAsc, SalesSort::CloseDesc], &filter, lang)}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|s| {
                        let (id, stage) = (s.id, s.stage);
                        let sale = StoredValue::new(s.clone());
                        let on_change = move |ev: leptos::ev::Event| {
                            if let Some(to) = Stage::from_code(&event_target_value(&ev)) {
                                sale.with_value(|sale| start_move(sale, to, lang, moving, pending));
                            }
                        };
                        view! {
                            <tr data-sale-id=id.0 class=format!("stage-{}", stage.code())>
                                <td><a href=s.href()>{s.contact_name.clone()}</a></td>
                                <td>{s.product.clone()}</td>
                                <td>{s.seller.clone()}</td>
                                <td>{lang.date(s.sale_date)}</td>
                                <td class="num">{s.net.text(lang, &currency)}</td>
                                <td>
                                    <select class="stage-select" aria-label=Msg::FieldStage.text(lang) on:change=on_change
                                        prop:value=move || pending.with(|p| p.as_ref().filter(|m| m.id == id).map_or(stage, |m| m.stage).code())>
                                        {Stage::ALL.into_iter().map(|option| view! {
                                            <option value=option.code() selected=option == stage>{option.label().text(lang)}</option>
                                        }).collect_view()}
                                    </select>
                                    {move || pending.get().filter(|m| m.id == id).map(|m| view! { <MoveDetails pending=pending m=m moving=moving /> })}
                                </td>
                                <td>{day(s.expected_close, lang)}
                                    {s.closed_date.map(|d| view! { <div class="muted small">{Msg::FieldClosedDate.text(lang)}": "{lang.date(d)}</div> })}
                                    // A won sale's payments (commissions' `CollectionsPage`).
                                    {(stage == Stage::Won).then(|| view! {
                                        <a class="collections small" href=format!("/sales/{}/collections", id.0)>{Msg::ColLink.text(lang)}</a>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Moves a sale to `to`: straight away to an open stage; won and lost first ask for the close date
/// (and lost for the reason) in `MoveDetails`.
pub fn start_move(sale: &DeskSale, to: Stage, lang: Lang, moving: ServerAction<MoveSale>, pending: RwSignal<Option<PendingMove>>) {
    if to == sale.stage {
        return;
    }
    let m = PendingMove::new(sale, to, lang);
    if to.is_open() { m.dispatch(moving) } else { pending.set(Some(m)) }
}

/// The close date (and for lost, the reason) a move to won or lost asks for.
#[component]
pub fn MoveDetails(pending: RwSignal<Option<PendingMove>>, m: PendingMove, moving: ServerAction<MoveSale>) -> impl IntoView {
    let lang = use_lang();
    let lost = m.stage == Stage::Lost;
    let draft = RwSignal::new(m);
    view! {
        <div class="move-details">
            <label>{Msg::FieldClosedDate.text(lang)}
                <input type="text" inputmode="numeric" class="day" name="move_closed_date" placeholder=lang.date_hint() prop:value=move || draft.with(|d| d.closed_date.clone())
                    on:input=move |ev| draft.update(|d| d.closed_date = event_target_value(&ev)) />
            </label>
            {lost.then(|| {
                let reasons = Resource::new(|| (), |_| list_lost_reasons());
                view! {
                    <label>{Msg::FieldLostReason.text(lang)}
                        <select name="move_lost_reason" required prop:value=move || draft.with(|d| d.reason.clone())
                            on:change=move |ev| draft.update(|d| d.reason = event_target_value(&ev))>
                            <option value="">{Msg::LostPick.text(lang)}</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    reasons.await.unwrap_or_default().into_iter().filter(|r| r.active)
                                        .map(|r| view! { <option value=r.id.0>{r.name}</option> }).collect_view()
                                })}
                            </Transition>
                        </select>
                    </label>
                    <label>{Msg::FieldLostNote.text(lang)}
                        <input type="text" name="move_lost_note" maxlength="500" prop:value=move || draft.with(|d| d.note.clone())
                            on:input=move |ev| draft.update(|d| d.note = event_target_value(&ev)) />
                    </label>
                }
            })}
            <button type="button" class="primary confirm-move" on:click=move |_| { draft.get_untracked().dispatch(moving); pending.set(None); }>{Msg::Save.text(lang)}</button>
            <button type="button" on:click=move |_| pending.set(None)>{Msg::Cancel.text(lang)}</button>
        </div>
    }
}
