//! The targets page: sellers × the months of a year. A manager types a month's amount and it is
//! saved when the field is left; the year before can be copied in with an uplift. A member reads
//! his own sellers' targets.

use super::*;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, Refusal, refused, use_lang};
use chrono::Datelike;

#[component]
pub fn TargetsPage() -> impl IntoView {
    let lang = use_lang();
    let year = RwSignal::new(chrono::Utc::now().year());
    let category = RwSignal::new(None::<i64>);
    let copy = ServerAction::<CopyTargets>::new();
    let grid = Resource::new(move || (year.get(), category.get(), copy.version().get()), |(y, c, _)| get_target_grid(y, c));
    let copy_error = Signal::derive(move || copy.value().get().and_then(Result::err));
    view! {
        <section class="panel targets">
            <h1>{Msg::TargetsTitle.text(lang)}</h1>
            <p class="intro">{Msg::TargetsIntro.text(lang)}</p>
            <div class="toolbar">
                <button type="button" id="targets-prev" on:click=move |_| year.update(|y| *y -= 1) aria-label=Msg::TargetsPrevYear.text(lang)>"‹"</button>
                <strong id="targets-year">{move || year.get()}</strong>
                <button type="button" id="targets-next" on:click=move |_| year.update(|y| *y += 1) aria-label=Msg::TargetsNextYear.text(lang)>"›"</button>
            </div>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    grid.await.map(|g| view! { <GridView grid=g category copy copy_error /> }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </section>
    }
}

#[component]
fn GridView(
    grid: TargetGrid,
    category: RwSignal<Option<i64>>,
    copy: ServerAction<CopyTargets>,
    copy_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let refused = RwSignal::new(None::<AppError>);
    let save = Action::new(move |form: &TargetForm| {
        let form = form.clone();
        async move {
            let result = set_target(form).await;
            refused.set(result.as_ref().err().cloned());
            result
        }
    });
    let year = grid.year;
    let category_code = grid.category.map(|c| c.0.to_string()).unwrap_or_default();
    let months: Vec<Month> = (1..=12).map(|m| Month::new(year, m)).collect();
    let currency = grid.currency.clone();
    let edit = grid.can_edit;
    view! {
        <label class="inline-field">{Msg::RepCategory.text(lang)} " "
            <select id="targets-category" on:change=move |ev| category.set(event_target_value(&ev).parse().ok())>
                <option value="" selected=grid.category.is_none()>{Msg::TargetsTotal.text(lang)}</option>
                {grid.categories.iter().map(|(id, name)| view! {
                    <option value=id.0.to_string() selected=grid.category == Some(*id)>{name.clone()}</option>
                }).collect_view()}
            </select>
        </label>
        <p class="hint">{format!("{} ({})", Msg::TargetsHint.text(lang), currency)}</p>
        <Refusal error=refused />
        {if grid.sellers.is_empty() {
            view! { <p class="notice" id="targets-empty">{Msg::TargetsNoSellers.text(lang)}</p> }.erase()
        } else {
            view! {
                <div class="table-scroll">
                <table class="data targets-grid" id="targets-grid">
                    <thead><tr>
                        <th>{Msg::RepSeller.text(lang)}</th>
                        {months.iter().map(|m| view! { <th class="num">{m.label(lang)}</th> }).collect_view()}
                        <th class="num">{Msg::RepTotal.text(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {grid.sellers.iter().zip(grid.amounts.iter()).map(|(seller, row)| {
                            let total: i64 = row.iter().flatten().map(|m| m.0).sum();
                            let seller_id = seller.id.0;
                            view! {
                                <tr data-seller=seller.name.clone()>
                                    <th scope="row">{seller.name.clone()}</th>
                                    {months.iter().zip(row.iter()).map(|(month, amount)| {
                                        let code = month.code();
                                        if edit {
                                            let category = category_code.clone();
                                            view! {
                                                <td class="num"><input type="text" inputmode="decimal" class="amount" data-month=code.clone()
                                                    aria-label=format!("{} {}", seller.name, month.label(lang))
                                                    value=amount.map(|a| a.to_input_string()).unwrap_or_default()
                                                    on:change=move |ev| {
                                                        save.dispatch(TargetForm { seller: seller_id.to_string(), month: code.clone(), category: category.clone(), amount: event_target_value(&ev) });
                                                    } /></td>
                                            }.erase()
                                        } else {
                                            view! { <td class="num" data-month=code>{amount.map(|a| a.number(lang)).unwrap_or_else(|| "—".into())}</td> }.erase()
                                        }
                                    }).collect_view()}
                                    <td class="num row-total">{Money(total).number(lang)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.erase()
        }}
        {edit.then(|| view! {
            <ActionForm action=copy attr:id="targets-copy" attr:class="inline-form">{view! {
                <input type="hidden" name="year" value=year />
                {grid.category.map(|c| view! { <input type="hidden" name="category" value=c.0 /> })}
                <label>{Msg::TargetsCopyUplift.text(lang)} " "
                    <input type="text" inputmode="decimal" name="uplift" value="0" size="5" /> " %"
                    <FieldError error=copy_error field=crate::error::Field::Uplift />
                </label>
                <button type="submit" class="primary" disabled=move || copy.pending().get()>{copy_label(lang, year)}</button>
            }.erase()}</ActionForm>
        })}
    }
}

fn copy_label(lang: Lang, year: i32) -> String {
    format!("{} {}", Msg::TargetsCopy.text(lang), year - 1)
}

/// Won against target per seller for this month, this quarter and the year to date: a bar each
/// (won, and the projection behind it) with the figures beside. Home, My sales and Sellers show it.
#[component]
pub fn AttainmentTable(rows: Vec<SellerAttainment>, currency: String) -> impl IntoView {
    let lang = use_lang();
    if rows.iter().all(|r| Span::ALL.iter().all(|s| r.span(*s).target.is_none())) {
        return view! { <p class="muted" id="attainment-none">{Msg::AttNone.text(lang)}</p> }.erase();
    }
    view! {
        <div class="table-scroll">
            <table class="data attainment" id="attainment">
                <thead><tr>
                    <th>{Msg::RepSeller.text(lang)}</th>
                    {Span::ALL.iter().map(|s| view! { <th>{span_label(*s).text(lang)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr data-seller=row.name.clone()>
                            <th scope="row">{row.name.clone()}</th>
                            {Span::ALL.iter().map(|s| view! { <td><Bar attained=*row.span(*s) currency=currency.clone() lang /></td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{Msg::AttNote.text(lang)}</p>
    }
    .erase()
}

fn span_label(span: Span) -> Msg {
    match span {
        Span::Month => Msg::AttMonth,
        Span::Quarter => Msg::AttQuarter,
        Span::YearToDate => Msg::AttYear,
    }
}

#[component]
fn Bar(attained: Attained, currency: String, lang: Lang) -> impl IntoView {
    // The bar is an SVG 100 units wide: a rectangle's width is its percentage (two decimals), an
    // attribute and not a style (the Content-Security-Policy allows no inline style).
    let width = |p: Option<Percent>| p.map(|p| p.0.clamp(0, 10_000)).map(|bp| format!("{}.{:02}", bp / 100, bp % 100)).unwrap_or_else(|| "0".into());
    let percent = attained.percent();
    let title = format!(
        "{}: {} · {}: {} · {}: {}",
        Msg::AttWon.text(lang),
        attained.won.text(lang, &currency),
        Msg::AttTarget.text(lang),
        attained.target.map(|t| t.text(lang, &currency)).unwrap_or_else(|| "—".into()),
        Msg::AttProjection.text(lang),
        attained.projection.text(lang, &currency),
    );
    view! {
        <div class="att" title=title data-percent=percent.map(|p| p.0.to_string()).unwrap_or_default()>
            <svg class="att-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=title.clone()>
                <rect class="att-projection" x="0" y="0" height="6" width=width(attained.projected_percent())></rect>
                <rect class="att-won" class:reached=percent.is_some_and(|p| p.0 >= 10_000) x="0" y="0" height="6" width=width(percent)></rect>
            </svg>
            <div class="small">
                <strong>{percent.map(|p| p.text(lang)).unwrap_or_else(|| "—".into())}</strong>
                " · "{attained.won.number(lang)}" / "{attained.target.map(|t| t.number(lang)).unwrap_or_else(|| "—".into())}
                <span class="muted">" · "{Msg::AttProjection.text(lang)}" "{attained.projected_percent().map(|p| p.text(lang)).unwrap_or_else(|| attained.projection.number(lang))}</span>
            </div>
        </div>
    }
}
