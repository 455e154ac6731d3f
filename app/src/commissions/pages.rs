//! The commissions pages: `/commissions` (every seller the user sees, for a month or quarter),
//! `/commissions/{seller}` (his statement up to the period's end, settled by a manager, and his
//! settled statements), `/commissions/statements/{id}` (one as it was settled),
//! `/config/crm/commissions` (plans and rules, managers) and `/sales/{id}/collections`.

use super::{
    AddCollection, AddRule, AgentEstimate, AgentKind, CommissionSetup, DeleteCollection, DeleteRule, EarnOn, EnasarcoForm, EnasarcoYear, Period,
    SaleCollections, SaveEnasarcoYear, SavePlan, SettleStatement, Statement, get_collections, get_commission_setup, get_commissions_overview,
    get_settled, get_settled_statement, get_statement,
};
use crate::error::AppError;
use crate::error::Field;
use crate::figures::Month;
use crate::i18n::{Lang, Msg};
use crate::sales::{get_sale_form_options, sale_products};
use crate::ui::{Erase, FieldError, FormError, Outcome, can_edit, error_of, last_outcome, refused, reset_on_success, use_lang};
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The periods offered: the last twelve months and the last eight quarters, the latest first.
fn period_choices(lang: Lang) -> Vec<(String, String)> {
    let now = Month::of(chrono::Utc::now().date_naive());
    let months = (0..12).map(|i| Period::month(now.plus(-i)));
    let quarters = (0..8).map(|i| Period::quarter_of(now.plus(-3 * i)));
    months.chain(quarters).map(|p| (p.code(), p.label(lang))).collect()
}

/// The period picker, kept in the URL (`?period=2026-03`).
#[component]
fn PeriodPicker(action: String, current: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Form method="GET" action=action attr:class="search-bar filters" attr:id="period-form">
            <label>{Msg::ComPeriod.text(lang)}" "
                <select name="period" id="period">
                    {period_choices(lang).into_iter().map(|(code, label)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{Msg::ComShow.text(lang)}</button>
        </Form>
    }
}

fn period_query() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("period").unwrap_or_default())
}

/// `/commissions`: each seller's commissions earned in the period and what is to be settled.
#[component]
pub fn CommissionsPage() -> impl IntoView {
    let lang = use_lang();
    let period = period_query();
    let overview = Resource::new(move || period.get(), get_commissions_overview);
    view! {
        <section class="panel" id="commissions">
            <div class="panel-head">
                <h1>{Msg::NavCommissions.text(lang)}</h1>
                {can_edit().then(|| view! { <a href="/config/crm/commissions" class="button" id="commission-rules">{Msg::ComRules.text(lang)}</a> })}
            </div>
            <p class="hint">{Msg::ComIntro.text(lang)}</p>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let code = o.period.code();
                            let cur = o.currency.clone();
                            view! {
                                <PeriodPicker action="/commissions".into() current=code.clone() />
                                <div class="table-scroll">
                                <table class="data" id="commissions-table">
                                    <thead><tr>
                                        <th>{Msg::FieldSeller.text(lang)}</th>
                                        <th>{Msg::ComEarnOn.text(lang)}</th>
                                        <th class="num">{Msg::ComEarned.text(lang)}</th>
                                        <th class="num">{Msg::ComToSettle.text(lang)}</th>
                                        <th>{Msg::ComSettledThrough.text(lang)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {o.rows.into_iter().map(|r| {
                                            let href = format!("/commissions/{}?period={}", r.seller.0, code);
                                            let name = r.name.clone();
                                            view! {
                                            <tr data-seller=r.name.clone()>
                                                <th scope="row"><A href=href>{name}</A></th>
                                                <td>{r.earn_on.label().text(lang)}</td>
                                                <td class="num">{r.earned.text(lang, &cur)}</td>
                                                <td class="num">{r.to_settle.text(lang, &cur)}</td>
                                                <td>{r.settled_through.map(|d| lang.date(d)).unwrap_or_else(|| "—".into())}</td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
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

/// The lines and totals of a statement, open or settled.
#[component]
fn StatementTable(statement: Statement) -> impl IntoView {
    let lang = use_lang();
    let cur = statement.currency.clone();
    if statement.lines.is_empty() {
        return view! { <p class="empty" id="statement-empty">{Msg::ComNothing.text(lang)}</p> }.erase();
    }
    let money = move |m: crate::money::Money| m.text(lang, &cur);
    view! {
        <div class="table-scroll">
        <table class="data" id="statement-lines">
            <thead><tr>
                <th>{Msg::ComDate.text(lang)}</th>
                <th>{Msg::FieldContact.text(lang)}</th>
                <th>{Msg::FieldProduct.text(lang)}</th>
                <th class="num">{Msg::ComBase.text(lang)}</th>
                <th>{Msg::ComRule.text(lang)}</th>
                <th class="num">{Msg::ComCommission.text(lang)}</th>
            </tr></thead>
            <tbody>
                {statement.lines.iter().map(|l| {
                    let rule = l.rule_text(lang, &statement.currency);
                    view! {
                        <tr class:adjustment=l.adjusts.is_some() data-sale=l.sale.0>
                            <td>{lang.date(l.on)}</td>
                            <td>{l.customer.clone()}</td>
                            <td>{l.product.clone()}</td>
                            <td class="num">{if l.adjusts.is_some() { String::new() } else { money(l.base) }}</td>
                            <td class="small">{rule}</td>
                            <td class="num">{money(l.commission)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th colspan="5">{Msg::ComEarnedTotal.text(lang)}</th><td class="num">{money(statement.earned)}</td></tr>
                <tr><th colspan="5">{Msg::ComAdjustments.text(lang)}</th><td class="num">{money(statement.adjustments)}</td></tr>
                <tr class="total"><th colspan="5">{Msg::ComTotal.text(lang)}</th><td class="num" id="statement-total">{money(statement.total)}</td></tr>
            </tfoot>
        </table>
        </div>
        {statement.agent.clone().map(|a| agent_view(a, &statement.currency, lang))}
    }
    .erase()
}

/// The head of a statement: the seller, how he earns, its period.
fn statement_head(s: &Statement, lang: Lang) -> impl IntoView + use<> {
    let from = s.settled_before.map(|d| format!("{} {} · ", Msg::ComFrom.text(lang), lang.date(d))).unwrap_or_default();
    view! {
        <p id="statement-head">
            <strong>{s.seller_name.clone()}</strong>" · "{s.earn_on.label().text(lang)}" · "
            {from}{Msg::ComThrough.text(lang)}" "{lang.date(s.period.to)}
        </p>
    }
}

/// `/commissions/{seller}`: the seller's statement up to the end of the period, and his settled
/// statements. A manager settles it.
#[component]
pub fn StatementPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let seller = move || params.read().get("seller").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let period = period_query();
    let settle = ServerAction::<SettleStatement>::new();
    let statement = Resource::new(move || (seller(), period.get(), settle.version().get()), |(s, p, _)| get_statement(s, p));
    let settled = Resource::new(move || (seller(), settle.version().get()), |(s, _)| get_settled(s));
    let settle_error = error_of(settle.value());
    view! {
        <section class="panel" id="statement">
            <div class="panel-head">
                <h1>{Msg::ComStatement.text(lang)}</h1>
                <a href="/commissions" class="button">{Msg::NavCommissions.text(lang)}</a>
            </div>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match statement.await {
                        Ok(s) => {
                            let code = s.period.code();
                            let action = format!("/commissions/{}", s.seller.0);
                            let seller_id = s.seller.0;
                            let can_settle = can_edit() && !s.lines.is_empty();
                            view! {
                                <PeriodPicker action=action current=code.clone() />
                                {statement_head(&s, lang)}
                                <StatementTable statement=s />
                                {can_settle.then(|| view! {
                                    <ActionForm action=settle attr:id="settle-form">{view! {
                                        <input type="hidden" name="seller" value=seller_id />
                                        <input type="hidden" name="period" value=code.clone() />
                                        <p class="hint">{Msg::ComSettleHint.text(lang)}</p>
                                        <FormError error=settle_error />
                                        <button type="submit" class="primary" id="settle">{Msg::ComSettle.text(lang)}</button>
                                    }.erase()}</ActionForm>
                                })}
                            }.erase()
                        }
                        Err(err) => {
                            // Another seller's statement is refused with its status too.
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(err.status());
                            }
                            refused(&err, lang)
                        }
                    }
                })}
            </Transition>
        </section>
        <section class="panel" id="settled">
            <h2>{Msg::ComSettledList.text(lang)}</h2>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match settled.await {
                        Ok(list) if list.rows.is_empty() => view! { <p class="empty">{Msg::ComNoneSettled.text(lang)}</p> }.erase(),
                        Ok(list) => view! {
                            <ul class="plain" id="settled-list">
                                {list.rows.into_iter().map(|r| view! {
                                    <li>
                                        <a href=format!("/commissions/statements/{}", r.id)>{format!("n. {}", r.sequence)}</a>
                                        " · "{lang.date(r.from)}" – "{lang.date(r.to)}
                                        " · "<strong>{r.total.text(lang, &list.currency)}</strong>
                                        <span class="muted small">" · "{r.by}" · "{lang.date(r.at.date_naive())}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/commissions/statements/{id}`: a settled statement, exactly as it was settled.
#[component]
pub fn SettledStatementPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let statement = Resource::new(id, get_settled_statement);
    view! {
        <section class="panel" id="settled-statement">
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match statement.await {
                        Ok(s) => {
                            let settled = s.settled.clone();
                            let back = format!("/commissions/{}?period={}", s.seller.0, s.period.code());
                            view! {
                                <div class="panel-head">
                                    <h1>{Msg::ComStatement.text(lang)}" n. "{settled.as_ref().map(|s| s.sequence)}</h1>
                                    <a href=back class="button">{s.seller_name.clone()}</a>
                                </div>
                                {settled.map(|st| view! {
                                    <p class="notice ok" id="settled-note">{Msg::ComSettledBy.text(lang)}" "{st.by}" · "{lang.date(st.at.date_naive())}</p>
                                    <p><a class="button" id="statement-pdf" href=format!("/commissions/statements/{}/statement.pdf", st.id) rel="external" target="_blank">{Msg::ComPdf.text(lang)}</a></p>
                                })}
                                {statement_head(&s, lang)}
                                <StatementTable statement=s />
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/config/crm/commissions`: how each seller earns, and the rules (managers).
#[component]
pub fn CommissionSetupPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SavePlan>::new();
    let add = ServerAction::<AddRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let save_year = ServerAction::<SaveEnasarcoYear>::new();
    let changes = Signal::derive(move || save.version().get() + add.version().get() + delete.version().get() + save_year.version().get());
    let setup = Resource::new(move || changes.get(), |_| get_commission_setup());
    let options = Resource::new(|| (), |_| get_sale_form_options());
    let products = Resource::new(|| (), |_| sale_products(None, None));
    let outcome = last_outcome!(save, delete, save_year);
    let add_error = error_of(add.value());
    let add_form = reset_on_success(add.value());
    let today = StoredValue::new(lang.today());
    view! {
        <section class="panel" id="commission-setup">
            <div class="panel-head">
                <h1>{Msg::ComRules.text(lang)}</h1>
                <a href="/commissions" class="button">{Msg::NavCommissions.text(lang)}</a>
            </div>
            <p class="hint">{Msg::ComRulesIntro.text(lang)}</p>
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match setup.await {
                        Ok(CommissionSetup { plans, rules, years, currency }) => view! {
                            <h2>{Msg::ComPlans.text(lang)}</h2>
                            <div class="table-scroll">
                            <table class="data" id="plans">
                                <thead><tr><th>{Msg::FieldSeller.text(lang)}</th><th>{Msg::ComEarnOn.text(lang)}</th><th>{Msg::ComSettledThrough.text(lang)}</th></tr></thead>
                                <tbody>
                                    {plans.into_iter().map(|p| view! {
                                        <tr data-seller=p.name.clone()>
                                            <th scope="row">{p.name.clone()}</th>
                                            <td>
                                                <ActionForm action=save attr:class="inline">{view! {
                                                    <input type="hidden" name="seller" value=p.seller.0 />
                                                    <input type="hidden" name="version" value=p.version />
                                                    <select name="earn_on" aria-label=Msg::ComEarnOn.text(lang)>
                                                        {EarnOn::ALL.into_iter().map(|e| view! { <option value=e.code() selected=e == p.earn_on>{e.label().text(lang)}</option> }).collect_view()}
                                                    </select>
                                                    <select name="agent" aria-label=Msg::ComAgent.text(lang)>
                                                        {AgentKind::ALL.into_iter().map(|a| view! { <option value=a.code() selected=a == p.agent>{a.label().text(lang)}</option> }).collect_view()}
                                                    </select>
                                                    <label class="check"><input type="checkbox" name="firr" value="true" checked=p.firr />{Msg::ComFirrAccrued.text(lang)}</label>
                                                    <button type="submit">{Msg::Save.text(lang)}</button>
                                                }.erase()}</ActionForm>
                                            </td>
                                            <td>{p.settled_through.map(|d| lang.date(d)).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <h2>{Msg::ComRuleList.text(lang)}</h2>
                            {if rules.is_empty() {
                                view! { <p class="empty">{Msg::ComNoRules.text(lang)}</p> }.erase()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                    <table class="data" id="rules">
                                        <thead><tr>
                                            <th>{Msg::FieldSeller.text(lang)}</th>
                                            <th>{Msg::ComAppliesTo.text(lang)}</th>
                                            <th class="num">{Msg::ComValue.text(lang)}</th>
                                            <th>{Msg::ComValidFrom.text(lang)}</th>
                                            <th>{Msg::Actions.text(lang)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {rules.into_iter().map(|r| view! {
                                                <tr>
                                                    <td>{r.seller_name.clone()}</td>
                                                    <td>{r.scope.label().text(lang)}{(!r.target.is_empty()).then(|| format!(": {}", r.target))}</td>
                                                    <td class="num">{r.value.text(lang, &currency)}</td>
                                                    <td>{lang.date(r.valid_from)}</td>
                                                    <td class="actions">{r.removable.then(|| view! {
                                                        <ActionForm action=delete attr:class="inline">{view! {
                                                            <input type="hidden" name="id" value=r.id />
                                                            <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                                                        }.erase()}</ActionForm>
                                                    })}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                }.erase()
                            }}
                            <EnasarcoYears years=years currency=currency.clone() save=save_year />
                        }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
        <section class="panel narrow">
            <h2>{Msg::ComNewRule.text(lang)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (options, products) = (options.await, products.await);
                    let (sellers, categories) = options.map(|o| (o.sellers, o.categories)).unwrap_or_default();
                    let products = products.unwrap_or_default();
                    let today = today.get_value();
                    view! {
                        <ActionForm action=add node_ref=add_form attr:id="new-rule-form">{view! {
                            <label>{Msg::FieldSeller.text(lang)}
                                <select name="seller" required>
                                    {sellers.into_iter().map(|s| view! { <option value=s.id.0>{s.name}</option> }).collect_view()}
                                </select>
                                <FieldError error=add_error field=Field::Seller />
                            </label>
                            <label>{Msg::ComCustomerName.text(lang)}
                                <input type="text" name="contact" maxlength="200" />
                                <FieldError error=add_error field=Field::Contact />
                            </label>
                            <label>{Msg::FieldProduct.text(lang)}
                                <select name="product">
                                    <option value="">"—"</option>
                                    {products.into_iter().map(|p| view! { <option value=p.id.0>{format!("{} · {}", p.code, p.name)}</option> }).collect_view()}
                                </select>
                                <FieldError error=add_error field=Field::Product />
                            </label>
                            <label>{Msg::FieldCategory.text(lang)}
                                <select name="category">
                                    <option value="">"—"</option>
                                    {categories.into_iter().map(|c| view! { <option value=c.id.0>{format!("{}{}", "· ".repeat(c.depth), c.name)}</option> }).collect_view()}
                                </select>
                                <FieldError error=add_error field=Field::Category />
                            </label>
                            <label>{Msg::ComKind.text(lang)}
                                <select name="kind">
                                    <option value="rate">{Msg::ComRate.text(lang)}" (%)"</option>
                                    <option value="per_unit">{Msg::ComPerUnit.text(lang)}</option>
                                </select>
                                <FieldError error=add_error field=Field::Kind />
                            </label>
                            <label>{Msg::ComValue.text(lang)}
                                <input type="text" name="value" required inputmode="decimal" maxlength="20" />
                                <FieldError error=add_error field=Field::Rate />
                                <FieldError error=add_error field=Field::PerUnit />
                            </label>
                            <label>{Msg::ComValidFrom.text(lang)}
                                <input type="text" name="valid_from" required value=today maxlength="10" />
                                <FieldError error=add_error field=Field::ValidFrom />
                            </label>
                            <FormError error=add_error />
                            <button type="submit" class="primary" id="add-rule">{Msg::Add.text(lang)}</button>
                        }.erase()}</ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The Enasarco values per year, and the form that writes a year's (prefilled with the latest).
#[component]
fn EnasarcoYears(years: Vec<EnasarcoYear>, currency: String, save: ServerAction<SaveEnasarcoYear>) -> impl IntoView {
    let lang = use_lang();
    let form = years.first().map(EnasarcoForm::of).unwrap_or_default();
    let money = move |m: crate::money::Money| m.text(lang, &currency);
    let fields: [(&'static str, Msg, String); 14] = [
        ("year", Msg::ComYear, form.year),
        ("rate", Msg::ComRateTotal, form.rate),
        ("company", Msg::ComRateCompany, form.company),
        ("ceiling_mono", Msg::ComCeilingMono, form.ceiling_mono),
        ("ceiling_pluri", Msg::ComCeilingPluri, form.ceiling_pluri),
        ("minimum_mono", Msg::ComMinimumMono, form.minimum_mono),
        ("minimum_pluri", Msg::ComMinimumPluri, form.minimum_pluri),
        ("firr_rate1", Msg::ComFirrRates, form.firr_rate1),
        ("firr_rate2", Msg::ComFirrRates, form.firr_rate2),
        ("firr_rate3", Msg::ComFirrRates, form.firr_rate3),
        ("firr_mono1", Msg::ComFirrMono, form.firr_mono1),
        ("firr_mono2", Msg::ComFirrMono, form.firr_mono2),
        ("firr_pluri1", Msg::ComFirrPluri, form.firr_pluri1),
        ("firr_pluri2", Msg::ComFirrPluri, form.firr_pluri2),
    ];
    view! {
        <h2>{Msg::ComYears.text(lang)}</h2>
        <p class="hint">{Msg::ComYearsIntro.text(lang)}</p>
        <div class="table-scroll">
        <table class="data" id="enasarco-years">
            <thead><tr>
                <th>{Msg::ComYear.text(lang)}</th>
                <th class="num">{Msg::ComRateTotal.text(lang)}</th>
                <th class="num">{Msg::ComRateCompany.text(lang)}</th>
                <th class="num">{Msg::ComCeilingMono.text(lang)}</th>
                <th class="num">{Msg::ComCeilingPluri.text(lang)}</th>
                <th class="num">{Msg::ComMinimumMono.text(lang)}</th>
                <th class="num">{Msg::ComMinimumPluri.text(lang)}</th>
                <th>{Msg::ComFirr.text(lang)}</th>
            </tr></thead>
            <tbody>
                {years.into_iter().map(|y| view! {
                    <tr data-year=y.year>
                        <th scope="row">{y.year}</th>
                        <td class="num">{y.rate.text(lang)}</td>
                        <td class="num">{y.company.text(lang)}</td>
                        <td class="num">{money(y.ceiling_mono)}</td>
                        <td class="num">{money(y.ceiling_pluri)}</td>
                        <td class="num">{money(y.minimum_mono)}</td>
                        <td class="num">{money(y.minimum_pluri)}</td>
                        <td class="small">{format!(
                            "{} / {} / {} · mono {} – {} · pluri {} – {}",
                            y.firr_rates[0].text(lang), y.firr_rates[1].text(lang), y.firr_rates[2].text(lang),
                            money(y.firr_mono[0]), money(y.firr_mono[1]), money(y.firr_pluri[0]), money(y.firr_pluri[1]),
                        )}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <ActionForm action=save attr:id="enasarco-form" attr:class="grid-form">{view! {
            {fields.into_iter().map(|(name, label, value)| view! {
                <label>{label.text(lang)}
                    <input type="text" name=name value=value required maxlength="20" inputmode="decimal" />
                </label>
            }).collect_view()}
            <button type="submit" id="save-year">{Msg::ComSaveYear.text(lang)}</button>
        }.erase()}</ActionForm>
    }
}

/// An agent's Enasarco and FIRR estimate under his statement.
fn agent_view(a: AgentEstimate, currency: &str, lang: Lang) -> impl IntoView + use<> {
    let money = |m: crate::money::Money| m.text(lang, currency);
    let note = a.note(lang, currency);
    view! {
        <section class="agent-estimate" id="agent-estimate">
            <h3>{Msg::ComEnasarco.text(lang)}" · "{a.kind.label().text(lang)}</h3>
            <table class="data compact">
                <tbody>
                    <tr><th>{Msg::ComContributing.text(lang)}</th><td class="num" id="contributing">{money(a.contributing)}</td></tr>
                    <tr><th>{Msg::ComCompanyShare.text(lang)}</th><td class="num" id="company-share">{money(a.company)}</td></tr>
                    <tr><th>{Msg::ComAgentShare.text(lang)}</th><td class="num" id="agent-share">{money(a.agent)}</td></tr>
                    {a.firr.map(|f| view! { <tr><th>{Msg::ComFirrAccrual.text(lang)}</th><td class="num" id="firr">{money(f)}</td></tr> })}
                </tbody>
            </table>
            <p class="hint small">{note}</p>
        </section>
    }
}

/// `/sales/{id}/collections`: what the customer paid on a won sale (*incassi*).
#[component]
pub fn CollectionsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let add = ServerAction::<AddCollection>::new();
    let delete = ServerAction::<DeleteCollection>::new();
    let data = Resource::new(move || (id(), add.version().get(), delete.version().get()), |(id, _, _)| get_collections(id));
    let add_error = error_of(add.value());
    let delete_error = error_of(delete.value());
    let add_form = reset_on_success(add.value());
    view! {
        <section class="panel" id="collections">
            <div class="panel-head"><h1>{Msg::ColTitle.text(lang)}</h1></div>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(c) => collections_view(c, lang, add, delete, add_error, delete_error, add_form).erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

fn collections_view(
    c: SaleCollections,
    lang: Lang,
    add: ServerAction<AddCollection>,
    delete: ServerAction<DeleteCollection>,
    add_error: Signal<Option<AppError>>,
    delete_error: Signal<Option<AppError>>,
    add_form: NodeRef<leptos::html::Form>,
) -> impl IntoView {
    let cur = c.currency.clone();
    let left = crate::money::Money(c.gross.0 - c.collected.0);
    let sale = c.sale.0;
    view! {
        <p id="collections-head">
            <strong>{c.customer.clone()}</strong>" · "{c.product.clone()}" · "{c.seller.clone()}
            {c.closed_on.map(|d| format!(" · {} {}", Msg::FieldClosedDate.text(lang), lang.date(d)))}
        </p>
        <p>
            {Msg::XlsGross.text(lang)}": "<strong>{c.gross.text(lang, &cur)}</strong>" · "
            {Msg::ColCollected.text(lang)}": "<strong id="collected">{c.collected.text(lang, &cur)}</strong>" · "
            {Msg::ColLeft.text(lang)}": "<strong id="left">{left.text(lang, &cur)}</strong>
        </p>
        <meter min="0" max=c.gross.0.max(1) value=c.collected.0 aria-label=Msg::ColCollected.text(lang)></meter>
        {move || delete_error.get().map(|e| refused(&e, lang))}
        {if c.rows.is_empty() {
            view! { <p class="empty">{Msg::ColNone.text(lang)}</p> }.erase()
        } else {
            view! {
                <div class="table-scroll">
                <table class="data" id="collections-table">
                    <thead><tr><th>{Msg::ColDate.text(lang)}</th><th class="num">{Msg::ColAmount.text(lang)}</th><th>{Msg::ColBy.text(lang)}</th><th>{Msg::Actions.text(lang)}</th></tr></thead>
                    <tbody>
                        {c.rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{lang.date(r.on)}</td>
                                <td class="num">{r.amount.text(lang, &cur)}</td>
                                <td>{r.by}</td>
                                <td class="actions">
                                    <ActionForm action=delete attr:class="inline">{view! {
                                        <input type="hidden" name="id" value=r.id />
                                        <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                                    }.erase()}</ActionForm>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.erase()
        }}
        <h2>{Msg::ColNew.text(lang)}</h2>
        <ActionForm action=add node_ref=add_form attr:id="new-collection-form" attr:class="inline-form">{view! {
            <input type="hidden" name="sale" value=sale />
            <label>{Msg::ColDate.text(lang)}
                <input type="text" name="on" value=lang.today() maxlength="10" />
                <FieldError error=add_error field=Field::CollectedOn />
            </label>
            <label>{Msg::ColAmount.text(lang)}
                <input type="text" name="amount" inputmode="decimal" required maxlength="20" value=left.to_input_string() />
                <FieldError error=add_error field=Field::Amount />
            </label>
            <FormError error=add_error />
            <button type="submit" class="primary" id="add-collection">{Msg::ColAdd.text(lang)}</button>
        }.erase()}</ActionForm>
    }
}
