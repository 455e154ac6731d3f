//! The filter bar: period, seller, category, product, stage, tag and grouping.

use super::*;
use crate::catalog::{CategoryId, ProductId};

pub(crate) fn parse_id<T: From<i64>>(value: &str) -> Option<T> {
    value.parse::<i64>().ok().map(T::from)
}

#[component]
pub(crate) fn Filters(data: Arc<ReportData>, filter: RwSignal<Filter>, show_seller: bool) -> impl IntoView {
    let lang = use_lang();
    let all = Msg::RepAll.text(lang);
    let today = data.today;
    let set_period = move |code: String| {
        filter.update(|f| {
            f.period = match code.as_str() {
                "month" => Period::ThisMonth,
                "quarter" => Period::ThisQuarter,
                "year" => Period::ThisYear,
                "range" => {
                    let (from, to) = f.period.months(today);
                    Period::Range { from, to }
                }
                _ => Period::Last12Months,
            }
        })
    };
    let set_from = move |text: String| {
        if let (Some(m), Period::Range { to, .. }) = (Month::parse(&text), filter.get_untracked().period) {
            filter.update(|f| f.period = Period::Range { from: m, to });
        }
    };
    let set_to = move |text: String| {
        if let (Some(m), Period::Range { from, .. }) = (Month::parse(&text), filter.get_untracked().period) {
            filter.update(|f| f.period = Period::Range { from, to: m });
        }
    };
    // The category tree, indented by depth, each node after its parent.
    let mut tree: Vec<(CategoryId, String)> = Vec::new();
    fn walk(cats: &[CategoryDim], parent: Option<CategoryId>, depth: usize, out: &mut Vec<(CategoryId, String)>) {
        for c in cats.iter().filter(|c| c.parent == parent) {
            out.push((c.id, format!("{}{}", "\u{a0}\u{a0}".repeat(depth), c.name)));
            walk(cats, Some(c.id), depth + 1, out);
        }
    }
    walk(&data.categories, None, 0, &mut tree);
    let products: Vec<(ProductId, String, Option<CategoryId>)> =
        data.products.iter().map(|p| (p.id, format!("{} · {}", p.code, p.name), p.category)).collect();
    let categories = data.categories.clone();
    // Only the products of the chosen category (and below) are offered.
    let product_options = move || {
        let subtree = filter.get().category.map(|c| category_subtree(&categories, c));
        products
            .iter()
            .filter(|(_, _, cat)| subtree.as_ref().is_none_or(|t| cat.is_some_and(|c| t.contains(&c))))
            .map(
                |(id, label, _)| view! { <option value=id.to_string() selected=filter.get_untracked().product == Some(*id)>{label.clone()}</option> },
            )
            .collect_view()
    };
    // The filter the page opened with (from its URL): its choices are selected from the start.
    let initial = filter.get_untracked();
    let is_range = move || matches!(filter.get().period, Period::Range { .. });
    let period_code = move || filter.get().period.code();
    let months = move || filter.get().period.months(today);
    view! {
        <form class="report-filters" on:submit=|ev| ev.prevent_default()>
            <label>{Msg::RepPeriod.text(lang)}
                <select id="filter-period" on:change=move |ev| set_period(event_target_value(&ev)) prop:value=period_code>
                    <option value="month">{Msg::RepPeriodThisMonth.text(lang)}</option>
                    <option value="quarter">{Msg::RepPeriodThisQuarter.text(lang)}</option>
                    <option value="year">{Msg::RepPeriodThisYear.text(lang)}</option>
                    <option value="last12" selected=move || filter.get_untracked().period == Period::Last12Months>{Msg::RepPeriodLast12.text(lang)}</option>
                    <option value="range" selected=move || matches!(filter.get_untracked().period, Period::Range { .. })>{Msg::RepPeriodRange.text(lang)}</option>
                </select>
            </label>
            <Show when=is_range>
                <label>{Msg::RepFrom.text(lang)}
                    <input type="month" id="filter-from" prop:value=move || months().0.code() on:change=move |ev| set_from(event_target_value(&ev)) />
                </label>
                <label>{Msg::RepTo.text(lang)}
                    <input type="month" id="filter-to" prop:value=move || months().1.code() on:change=move |ev| set_to(event_target_value(&ev)) />
                </label>
            </Show>
            {show_seller.then(|| view! {
                <label>{Msg::RepSeller.text(lang)}
                    <select id="filter-seller" on:change=move |ev| filter.update(|f| f.seller = parse_id(&event_target_value(&ev)))>
                        <option value="">{all}</option>
                        {data.sellers.iter().map(|s| view! { <option value=s.id.to_string() selected=initial.seller == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            <label>{Msg::RepCategory.text(lang)}
                <select id="filter-category" on:change=move |ev| filter.update(|f| { f.category = parse_id(&event_target_value(&ev)); f.product = None; })>
                    <option value="">{all}</option>
                    {tree.into_iter().map(|(id, label)| view! { <option value=id.to_string() selected=initial.category == Some(id)>{label}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepProduct.text(lang)}
                <select id="filter-product" on:change=move |ev| filter.update(|f| f.product = parse_id(&event_target_value(&ev)))>
                    <option value="" selected=move || filter.get().product.is_none()>{all}</option>
                    {product_options}
                </select>
            </label>
            <label>{Msg::RepStage.text(lang)}
                <select id="filter-stage" on:change=move |ev| filter.update(|f| f.stage = Stage::from_code(&event_target_value(&ev)))>
                    <option value="">{all}</option>
                    {Stage::ALL.into_iter().map(|s| view! { <option value=s.code() selected=initial.stage == Some(s)>{s.label().text(lang)}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepTag.text(lang)}
                <select id="filter-tag" on:change=move |ev| filter.update(|f| f.tag = parse_id(&event_target_value(&ev)))>
                    <option value="">{all}</option>
                    {data.tags.iter().map(|t| view! { <option value=t.id.to_string() selected=initial.tag == Some(t.id)>{t.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepLostReason.text(lang)}
                <select id="filter-reason" on:change=move |ev| filter.update(|f| f.reason = parse_id(&event_target_value(&ev)))>
                    <option value="">{all}</option>
                    {data.reasons.iter().map(|r| view! { <option value=r.id.to_string() selected=initial.reason == Some(r.id)>{r.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepGrouping.text(lang)}
                <select id="filter-grouping" on:change=move |ev| filter.update(|f| f.grouping = Grouping::from_code(&event_target_value(&ev)).unwrap_or(Grouping::Month))>
                    {Grouping::ALL.into_iter().map(|g| view! { <option value=g.code() selected=filter.get_untracked().grouping == g>{g.label().text(lang)}</option> }).collect_view()}
                </select>
            </label>
        </form>
    }
}
