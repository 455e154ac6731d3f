//! The pipeline board (`/sales/board`): a column per open stage, then won and lost this month,
//! each with its count, total and weighted total. A card moves by drag and drop, or from its
//! "move to" menu (keyboard); either way through the sales list's move, which is the form's rule.

use super::pages::{MoveDetails, PendingMove, SalesFilterBar, start_move};
use super::{BoardColumn, DeskSale, SalesFilter, get_board};
use crate::i18n::Msg;
use crate::sales::{MoveSale, SaleId, Stage};
use crate::ui::{Erase, Refusal, refused, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| SalesFilter::from_query(|k| query.read().get(k)));
    let moving = ServerAction::<MoveSale>::new();
    let board = Resource::new(move || (filter.get(), moving.version().get()), |(f, _)| get_board(f));
    let pending = RwSignal::new(None::<PendingMove>);
    // The card being dragged, and the column shown on a phone.
    let dragged = RwSignal::new(None::<SaleId>);
    let shown = RwSignal::new(Stage::Lead);
    view! {
        <section class="panel" id="board-page">
            <div class="panel-head">
                <h1>{Msg::BoardTitle.text(lang)}</h1>
                <a href=move || format!("/sales?{}", filter.get().query())>{Msg::BoardAsList.text(lang)}</a>
            </div>
            <SalesFilterBar action="/sales/board" filter=filter />
            <Refusal error=Signal::derive(move || moving.value().get().and_then(|r| r.err())) />
            {move || pending.get().map(|m| view! {
                <div class="notice warn pending-move" id="pending-move">
                    <p>{Msg::BoardMoveTo.text(lang)}" "<strong>{m.stage.label().text(lang)}</strong></p>
                    <MoveDetails pending=pending m=m moving=moving />
                </div>
            })}
            <div class="board-tabs" role="tablist" aria-label=Msg::FieldStage.text(lang)>
                {Stage::ALL.into_iter().map(|stage| view! {
                    <button type="button" role="tab" aria-selected=move || (shown.get() == stage).to_string() on:click=move |_| shown.set(stage)>
                        {stage.label().text(lang)}
                    </button>
                }).collect_view()}
            </div>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => {
                            let currency = board.currency.clone();
                            let all: Vec<DeskSale> = board.columns.iter().flat_map(|c| c.cards.clone()).collect();
                            let cards = StoredValue::new(all);
                            view! {
                                <div class="board" id="board">
                                    {board.columns.into_iter().map(|column| view! {
                                        <Column column=column currency=currency.clone() cards=cards dragged=dragged shown=shown moving=moving pending=pending />
                                    }).collect_view()}
                                </div>
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
fn Column(
    column: BoardColumn,
    currency: String,
    cards: StoredValue<Vec<DeskSale>>,
    dragged: RwSignal<Option<SaleId>>,
    shown: RwSignal<Stage>,
    moving: ServerAction<MoveSale>,
    pending: RwSignal<Option<PendingMove>>,
) -> impl IntoView {
    let lang = use_lang();
    let stage = column.stage;
    let title = if stage.is_open() {
        stage.label().text(lang).to_string()
    } else {
        format!("{} {}", stage.label().text(lang), Msg::BoardThisMonth.text(lang))
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(id) = dragged.get_untracked() {
            dragged.set(None);
            cards.with_value(|all| {
                if let Some(sale) = all.iter().find(|s| s.id == id) {
                    start_move(sale, stage, lang, moving, pending);
                }
            });
        }
    };
    let hidden = column.totals.count.saturating_sub(column.cards.len() as u64);
    view! {
        <section class=format!("board-column stage-{}", stage.code()) class:shown=move || shown.get() == stage data-stage=stage.code()
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=drop>
            <header>
                <h2>{title}</h2>
                <p class="small">
                    <span class="column-count">{column.totals.count}</span>" · "{column.totals.net.text(lang, &currency)}
                    {stage.is_open().then(|| format!(" · {} {}", Msg::SalesWeighted.text(lang), column.totals.weighted.text(lang, &currency)))}
                </p>
            </header>
            {column.cards.into_iter().map(|sale| view! { <Card sale=sale currency=currency.clone() dragged=dragged moving=moving pending=pending /> }).collect_view()}
            {(hidden > 0).then(|| view! { <p class="muted small">{Msg::BoardMore.text(lang).replace("{n}", &hidden.to_string())}</p> })}
        </section>
    }
}

#[component]
fn Card(
    sale: DeskSale,
    currency: String,
    dragged: RwSignal<Option<SaleId>>,
    moving: ServerAction<MoveSale>,
    pending: RwSignal<Option<PendingMove>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = sale.id;
    let stored = StoredValue::new(sale.clone());
    let on_move = move |ev: leptos::ev::Event| {
        if let Some(to) = Stage::from_code(&event_target_value(&ev)) {
            stored.with_value(|sale| start_move(sale, to, lang, moving, pending));
        }
    };
    view! {
        <article class="board-card" draggable="true" data-sale-id=id.0 on:dragstart=move |_| dragged.set(Some(id))>
            <a href=sale.href()>{sale.contact_name.clone()}</a>
            <div class="small">{sale.product.clone()}</div>
            <div class="small"><strong>{sale.net.text(lang, &currency)}</strong>" · "{sale.seller.clone()}</div>
            {sale.expected_close.filter(|_| sale.stage.is_open()).map(|d| view! { <div class="muted small">{Msg::FieldExpectedClose.text(lang)}" "{lang.date(d)}</div> })}
            {sale.closed_date.filter(|_| !sale.stage.is_open()).map(|d| view! { <div class="muted small">{Msg::FieldClosedDate.text(lang)}" "{lang.date(d)}</div> })}
            <select class="card-move" aria-label=format!("{} {}", Msg::BoardMoveTo.text(lang), sale.contact_name) on:change=on_move
                prop:value=move || pending.with(|p| p.as_ref().filter(|m| m.id == id).map_or("", |m| m.stage.code()).to_string())>
                <option value="">{Msg::BoardMoveTo.text(lang)}"…"</option>
                {Stage::ALL.into_iter().filter(|s| *s != sale.stage).map(|s| view! { <option value=s.code()>{s.label().text(lang)}</option> }).collect_view()}
            </select>
        </article>
    }
}
