//! The configuration pages: the overview with the wizard's progress, then one page per step.
//! Everybody reads them; the forms are drawn only for managers (the server refuses anyway).

use super::*;
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use crate::shell::{FieldError, FormError, use_lang, use_user};
use leptos::prelude::*;

fn can_edit() -> bool {
    use_user().is_some_and(|u| u.role.is_manager())
}

/// Keeps the outcome of the last of several row actions, so one message shows at a time.
macro_rules! last_outcome {
    ($($action:expr),+ $(,)?) => {{
        let outcome: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
        $(
            let action = $action;
            Effect::new(move |_| {
                if let Some(result) = action.value().get() {
                    outcome.set(Some(result.map(|_| ())));
                }
            });
        )+
        outcome
    }};
}

/// Any refusal, field or not (row forms are too small to mark a field).
#[component]
fn Outcome(outcome: RwSignal<Option<Result<(), AppError>>>) -> impl IntoView {
    let lang = use_lang();
    move || match outcome.get() {
        Some(Err(err)) => Some(view! { <p class="notice error" role="alert">{err.message(lang)}</p> }.into_any()),
        Some(Ok(())) => Some(view! { <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p> }.into_any()),
        None => None,
    }
}

fn error_of<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

fn saved<T, S>(value: S) -> Signal<bool>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || matches!(value.get(), Some(Ok(_))))
}

/// Empties a creation form once the server accepted it, ready for the next entry.
fn reset_on_success<T, S>(value: S) -> NodeRef<leptos::html::Form>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_)))
            && let Some(form) = form.get_untracked()
        {
            form.reset();
        }
    });
    form
}

fn read_only_notice(lang: Lang) -> impl IntoView {
    (!can_edit()).then(|| view! { <p class="notice info" id="config-read-only">{Msg::ConfigReadOnly.text(lang)}</p> })
}

// ---------------------------------------------------------------- wizard progress

/// The five steps with their state, the current one marked, and (while the wizard runs) the link
/// to the next step.
#[component]
fn StepNav(step: Step, #[prop(into)] refresh: Signal<usize>) -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(move || refresh.get(), |_| get_overview());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                overview.await.ok().map(|o| {
                    let next = (!o.settings.wizard_done).then(|| step.next()).flatten();
                    view! {
                        <nav class="wizard" aria-label=Msg::ConfigProgress.text(lang)>
                            <a href="/config/crm" class="wizard-home">{Msg::ConfigBack.text(lang)}</a>
                            <ol class="wizard-steps">
                                {Step::ALL.into_iter().map(|s| view! {
                                    <li class:done=o.is_done(s) class:current=s == step>
                                        <a href=s.path()><span class="num">{s.number()}</span>{s.label().text(lang)}</a>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <span class="wizard-count" id="wizard-count">{format!("{}/5", o.done_count())}</span>
                            {next.map(|n| view! {
                                <a href=n.path() class="button primary" id="wizard-next">
                                    {format!("{} → {}", Msg::ConfigNext.text(lang), n.label().text(lang))}
                                </a>
                            })}
                        </nav>
                    }
                })
            })}
        </Transition>
    }
}

#[component]
pub fn ConfigOverviewPage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(|| (), |_| get_overview());
    view! {
        <section class="panel config">
            <h1>{Msg::ConfigTitle.text(lang)}</h1>
            <p class="intro">{Msg::ConfigWizardIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let next = o.next_step();
                            view! {
                                <div class="progress" id="config-progress">
                                    <span>{Msg::ConfigProgress.text(lang)}": "<strong>{format!("{}/5", o.done_count())}</strong></span>
                                    <progress max="5" value=o.done_count()>{format!("{}/5", o.done_count())}</progress>
                                </div>
                                {o.settings.wizard_done.then(|| view! { <p class="notice ok">{Msg::ConfigAllDone.text(lang)}</p> })}
                                <ol class="step-list" id="config-steps">
                                    {Step::ALL.into_iter().map(|step| {
                                        let done = o.is_done(step);
                                        let summary = step_summary(&o, step, lang);
                                        let is_next = next == Some(step);
                                        let link = if is_next && o.can_edit { Msg::ConfigStart } else { Msg::ConfigOpen };
                                        view! {
                                            <li class="step" class:done=done class:next=is_next data-step=step.number()>
                                                <span class="num">{step.number()}</span>
                                                <div class="what">
                                                    <strong>{step.label().text(lang)}</strong>
                                                    <span class="summary">{summary}</span>
                                                </div>
                                                <span class="state">{if done { Msg::ConfigStepDone.text(lang) } else { Msg::ConfigStepTodo.text(lang) }}</span>
                                                <a href=step.path() class="button" class:primary=is_next>{link.text(lang)}</a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                        Err(err) => view! { <p class="notice error" role="alert">{err.message(lang)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn step_summary(o: &ConfigOverview, step: Step, lang: Lang) -> String {
    match step {
        Step::Tag => o.settings.sales_tag.map(|t| t.label()).unwrap_or(Msg::TagNone).text(lang).to_string(),
        Step::Sellers => format!("{} {}", o.sellers, Msg::StepSellers.text(lang).to_lowercase()),
        Step::Categories => format!("{} {}", o.categories, Msg::StepCategories.text(lang).to_lowercase()),
        Step::Products => format!("{} {}", o.products, Msg::StepProducts.text(lang).to_lowercase()),
        Step::Stages => {
            let p = o.settings.probabilities;
            format!("lead {}% · {}% · {}% · {}", p.lead, p.negotiation, p.proposal, o.settings.currency)
        }
    }
}

// ---------------------------------------------------------------- 1. sales tag

#[component]
pub fn SalesTagPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SetSalesTag>::new();
    let overview = Resource::new(move || save.version().get(), |_| get_overview());
    let error = error_of(save.value());
    let edit = can_edit();
    // The tag the manager picked: kept when the form is drawn again after a refusal, so that
    // confirming a switch is one tick and one click.
    let chosen = RwSignal::new(None::<SalesTag>);
    view! {
        <StepNav step=Step::Tag refresh=Signal::derive(move || save.version().get()) />
        <section class="panel narrow config">
            <h1>{Msg::StepTag.text(lang)}</h1>
            <p class="intro">{Msg::TagIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    overview.await.map(|o| view! {
                        <ActionForm action=save attr:id="sales-tag-form">
                            <input type="hidden" name="version" value=o.settings.version />
                            <fieldset class="choices" disabled=!edit>
                                {SalesTag::ALL.into_iter().map(|tag| view! {
                                    <label class="choice">
                                        <input type="radio" name="tag" value=tag.code()
                                            checked=chosen.get_untracked().map_or(o.settings.sales_tag == Some(tag), |c| c == tag)
                                            on:change=move |_| chosen.set(Some(tag)) />
                                        {tag.label().text(lang)}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <FieldError error=error field=Field::SalesTag />
                            <FormError error=error />
                            <Show when=move || matches!(error.get(), Some(AppError::SalesTagSwitch { .. }))>
                                <label class="choice" id="confirm-switch">
                                    <input type="checkbox" name="confirm" value="true" />
                                    {Msg::ConfigConfirmSwitch.text(lang)}
                                </label>
                            </Show>
                            <Show when=move || saved(save.value()).get()>
                                <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p>
                            </Show>
                            {edit.then(|| view! {
                                <button type="submit" class="primary" disabled=move || save.pending().get()>{Msg::Save.text(lang)}</button>
                            })}
                        </ActionForm>
                    }).map_err(|e| e.message(lang))
                })}
            </Transition>
        </section>
    }
}

// ---------------------------------------------------------------- 5. stage probabilities

#[component]
pub fn StagesPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SetStages>::new();
    let overview = Resource::new(move || save.version().get(), |_| get_overview());
    let error = error_of(save.value());
    let edit = can_edit();
    view! {
        <StepNav step=Step::Stages refresh=Signal::derive(move || save.version().get()) />
        <section class="panel narrow config">
            <h1>{Msg::StepStages.text(lang)}</h1>
            <p class="intro">{Msg::StagesIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    overview.await.map(|o| {
                        let p = o.settings.probabilities;
                        view! {
                            <ActionForm action=save attr:id="stages-form">
                                <input type="hidden" name="version" value=o.settings.version />
                                <fieldset class="plain" disabled=!edit>
                                    <label>{Msg::StageLead.text(lang)}
                                        <input type="text" inputmode="numeric" name="lead" value=p.lead required />
                                        <FieldError error=error field=Field::ProbLead />
                                    </label>
                                    <label>{Msg::StageNegotiation.text(lang)}
                                        <input type="text" inputmode="numeric" name="negotiation" value=p.negotiation required />
                                        <FieldError error=error field=Field::ProbNegotiation />
                                    </label>
                                    <label>{Msg::StageProposal.text(lang)}
                                        <input type="text" inputmode="numeric" name="proposal" value=p.proposal required />
                                        <FieldError error=error field=Field::ProbProposal />
                                    </label>
                                    <p class="fixed-stages">{Msg::StageWon.text(lang)}" · "{Msg::StageLost.text(lang)}</p>
                                    <label>{Msg::FieldCurrency.text(lang)}
                                        <input type="text" name="currency" value=o.settings.currency.clone() maxlength="3" required />
                                        <FieldError error=error field=Field::Currency />
                                    </label>
                                </fieldset>
                                <FormError error=error />
                                <Show when=move || saved(save.value()).get()>
                                    <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p>
                                </Show>
                                {edit.then(|| view! {
                                    <button type="submit" class="primary" disabled=move || save.pending().get()>{Msg::Save.text(lang)}</button>
                                })}
                            </ActionForm>
                        }
                    }).map_err(|e| e.message(lang))
                })}
            </Transition>
        </section>
    }
}

// ---------------------------------------------------------------- 2. sellers

#[component]
pub fn SellersPage() -> impl IntoView {
    let lang = use_lang();
    let edit = can_edit();
    let create_user = ServerAction::<CreateSeller>::new();
    let create_team = ServerAction::<CreateSeller>::new();
    let rename = ServerAction::<RenameSeller>::new();
    let members = ServerAction::<SetSellerMembers>::new();
    let active = ServerAction::<SetSellerActive>::new();
    let delete = ServerAction::<DeleteSeller>::new();
    let changes = Signal::derive(move || {
        create_user.version().get()
            + create_team.version().get()
            + rename.version().get()
            + members.version().get()
            + active.version().get()
            + delete.version().get()
    });
    let sellers = Resource::new(move || changes.get(), |_| list_sellers());
    let candidates = Resource::new(move || changes.get(), move |_| async move { if edit { seller_candidates().await } else { Ok(Vec::new()) } });
    let outcome = last_outcome!(rename, members, active, delete);
    let user_error = error_of(create_user.value());
    let team_error = error_of(create_team.value());
    let user_form = reset_on_success(create_user.value());
    let team_form = reset_on_success(create_team.value());
    view! {
        <StepNav step=Step::Sellers refresh=changes />
        <section class="panel config">
            <h1>{Msg::StepSellers.text(lang)}</h1>
            <p class="intro">{Msg::SellersIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    let (rows, users) = (sellers.await, candidates.await.unwrap_or_default());
                    rows.map(|rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">{Msg::SellerNoSellers.text(lang)}</p> }.into_any();
                        }
                        view! {
                            <table class="data" id="sellers-table">
                                <thead><tr>
                                    <th>{Msg::FieldName.text(lang)}</th>
                                    <th>{Msg::SellerKind.text(lang)}</th>
                                    <th>{Msg::FieldMembers.text(lang)}</th>
                                    <th>{Msg::Status.text(lang)}</th>
                                    {edit.then(|| view! { <th>{Msg::Actions.text(lang)}</th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <SellerRowView row=row users=users.clone() edit=edit rename=rename members=members active=active delete=delete />
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }).map_err(|e| e.message(lang))
                })}
            </Transition>
        </section>
        {edit.then(|| view! {
            <div class="config-forms">
                <section class="panel">
                    <h2>{Msg::SellerNewUser.text(lang)}</h2>
                    <ActionForm action=create_user node_ref=user_form attr:id="new-user-seller-form">
                        <input type="hidden" name="kind" value="user" />
                        <label>{Msg::FieldSellerUser.text(lang)}
                            <select name="user" required>
                                <option value="">{Msg::SellerPickUser.text(lang)}</option>
                                <Transition fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        candidates.await.unwrap_or_default().into_iter().filter(|c| !c.is_seller).map(|c| view! {
                                            <option value=c.user.id.0>{format!("{} ({})", c.user.display_name, c.user.login)}</option>
                                        }).collect_view()
                                    })}
                                </Transition>
                            </select>
                            <FieldError error=user_error field=Field::SellerUser />
                        </label>
                        <label>{Msg::SellerNameOptional.text(lang)}
                            <input type="text" name="name" />
                            <FieldError error=user_error field=Field::Name />
                        </label>
                        <FormError error=user_error />
                        <button type="submit" class="primary" disabled=move || create_user.pending().get()>{Msg::SellerCreate.text(lang)}</button>
                    </ActionForm>
                </section>
                <section class="panel">
                    <h2>{Msg::SellerNewGeneric.text(lang)}</h2>
                    <ActionForm action=create_team node_ref=team_form attr:id="new-generic-seller-form">
                        <input type="hidden" name="kind" value="generic" />
                        <label>{Msg::FieldName.text(lang)}
                            <input type="text" name="name" required />
                            <FieldError error=team_error field=Field::Name />
                        </label>
                        <fieldset class="members">
                            <legend>{Msg::FieldMembers.text(lang)}</legend>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    candidates.await.unwrap_or_default().into_iter().map(|c| view! {
                                        <label class="check"><input type="checkbox" name="members[]" value=c.user.id.0 />{c.user.display_name.clone()}</label>
                                    }).collect_view()
                                })}
                            </Transition>
                            <FieldError error=team_error field=Field::Members />
                        </fieldset>
                        <FormError error=team_error />
                        <button type="submit" class="primary" disabled=move || create_team.pending().get()>{Msg::SellerCreate.text(lang)}</button>
                    </ActionForm>
                </section>
            </div>
        })}
    }
}

#[component]
fn SellerRowView(
    row: SellerRow,
    users: Vec<SellerCandidate>,
    edit: bool,
    rename: ServerAction<RenameSeller>,
    members: ServerAction<SetSellerMembers>,
    active: ServerAction<SetSellerActive>,
    delete: ServerAction<DeleteSeller>,
) -> impl IntoView {
    let lang = use_lang();
    let (id, version) = (row.id.0, row.version);
    let who = match row.kind {
        SellerKind::User => row.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
        SellerKind::Generic => row.members.iter().map(|m| m.display_name.clone()).collect::<Vec<_>>().join(", "),
    };
    let member_ids: Vec<UserId> = row.members.iter().map(|m| m.id).collect();
    let is_generic = row.kind == SellerKind::Generic;
    let status = if row.active { Msg::Active } else { Msg::Inactive };
    let toggle = if row.active { Msg::Deactivate } else { Msg::Reactivate };
    let name = row.name.clone();
    view! {
        <tr data-name=row.name.clone() class:inactive=!row.active>
            <td class="name">{row.name.clone()}</td>
            <td>{row.kind.label().text(lang)}</td>
            <td class="members">{who}</td>
            <td>{status.text(lang)}</td>
            {edit.then(|| view! {
                <td class="actions">
                    <ActionForm action=rename attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="text" name="name" value=name required aria-label=Msg::FieldName.text(lang) />
                        <button type="submit">{Msg::Rename.text(lang)}</button>
                    </ActionForm>
                    {is_generic.then(|| view! {
                        <details class="members-editor">
                            <summary>{Msg::FieldMembers.text(lang)}</summary>
                            <ActionForm action=members>
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="version" value=version />
                                {users.iter().map(|c| view! {
                                    <label class="check">
                                        <input type="checkbox" name="members[]" value=c.user.id.0 checked=member_ids.contains(&c.user.id) />
                                        {c.user.display_name.clone()}
                                    </label>
                                }).collect_view()}
                                <button type="submit">{Msg::SellerSaveMembers.text(lang)}</button>
                            </ActionForm>
                        </details>
                    })}
                    <ActionForm action=active attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="active" value=(!row.active).to_string() />
                        <button type="submit" class="toggle-active">{toggle.text(lang)}</button>
                    </ActionForm>
                    {(row.sales == 0).then(|| view! {
                        <ActionForm action=delete attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="version" value=version />
                            <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                        </ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}

// ---------------------------------------------------------------- 3. categories

/// `<option>`s for every category, indented by depth.
fn category_options(nodes: &[CategoryNode], selected: Option<CategoryId>) -> impl IntoView + use<> {
    nodes
        .iter()
        .map(|n| {
            let label = format!("{}{}", "— ".repeat(n.depth), n.name);
            view! { <option value=n.id.0 selected=selected == Some(n.id)>{label}</option> }
        })
        .collect_view()
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let lang = use_lang();
    let edit = can_edit();
    let create = ServerAction::<CreateCategory>::new();
    let rename = ServerAction::<RenameCategory>::new();
    let moved = ServerAction::<MoveCategory>::new();
    let reorder = ServerAction::<ReorderCategory>::new();
    let delete = ServerAction::<DeleteCategory>::new();
    let changes = Signal::derive(move || {
        create.version().get() + rename.version().get() + moved.version().get() + reorder.version().get() + delete.version().get()
    });
    let tree = Resource::new(move || changes.get(), |_| list_categories());
    let outcome = last_outcome!(rename, moved, reorder, delete);
    let create_error = error_of(create.value());
    let create_form = reset_on_success(create.value());
    view! {
        <StepNav step=Step::Categories refresh=changes />
        <section class="panel config">
            <h1>{Msg::StepCategories.text(lang)}</h1>
            <p class="intro">{Msg::CategoriesIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    tree.await.map(|nodes| {
                        if nodes.is_empty() {
                            return view! { <p class="empty">{Msg::CategoryNone.text(lang)}</p> }.into_any();
                        }
                        let all = nodes.clone();
                        view! {
                            <ul class="category-tree" id="category-tree">
                                {nodes.into_iter().map(|node| view! {
                                    <CategoryRow node=node all=all.clone() edit=edit rename=rename moved=moved reorder=reorder delete=delete />
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }).map_err(|e| e.message(lang))
                })}
            </Transition>
        </section>
        {edit.then(|| view! {
            <section class="panel narrow">
                <h2>{Msg::CategoryNew.text(lang)}</h2>
                <ActionForm action=create node_ref=create_form attr:id="new-category-form">
                    <label>{Msg::FieldName.text(lang)}
                        <input type="text" name="name" required />
                        <FieldError error=create_error field=Field::Name />
                    </label>
                    <label>{Msg::FieldParent.text(lang)}
                        <select name="parent">
                            <option value="">{Msg::CategoryRoot.text(lang)}</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move { category_options(&tree.await.unwrap_or_default(), None) })}
                            </Transition>
                        </select>
                        <FieldError error=create_error field=Field::Parent />
                    </label>
                    <FormError error=create_error />
                    <button type="submit" class="primary" disabled=move || create.pending().get()>{Msg::CategoryCreate.text(lang)}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn CategoryRow(
    node: CategoryNode,
    all: Vec<CategoryNode>,
    edit: bool,
    rename: ServerAction<RenameCategory>,
    moved: ServerAction<MoveCategory>,
    reorder: ServerAction<ReorderCategory>,
    delete: ServerAction<DeleteCategory>,
) -> impl IntoView {
    let lang = use_lang();
    let (id, version) = (node.id.0, node.version);
    // Indented by a class, not a style attribute: the Content-Security-Policy allows no inline styles.
    let class = format!("category depth-{}", node.depth.min(6));
    let others: Vec<CategoryNode> = all.into_iter().filter(|n| n.id != node.id).collect();
    let sub = node.depth > 0;
    let name = node.name.clone();
    view! {
        <li class=class class:sub=sub data-name=node.name.clone() data-depth=node.depth>
            <span class="name">{node.name.clone()}</span>
            <span class="count" title=Msg::CategoryProducts.text(lang)>{format!("{} {}", node.products, Msg::CategoryProducts.text(lang))}</span>
            {edit.then(|| view! {
                <span class="actions">
                    <ActionForm action=reorder attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="icon" title=Msg::MoveUp.text(lang) aria-label=Msg::MoveUp.text(lang)>"↑"</button>
                    </ActionForm>
                    <ActionForm action=reorder attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="icon" title=Msg::MoveDown.text(lang) aria-label=Msg::MoveDown.text(lang)>"↓"</button>
                    </ActionForm>
                    <ActionForm action=rename attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="text" name="name" value=name required aria-label=Msg::FieldName.text(lang) />
                        <button type="submit">{Msg::Rename.text(lang)}</button>
                    </ActionForm>
                    <ActionForm action=moved attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <select name="parent" aria-label=Msg::FieldParent.text(lang)>
                            <option value="" selected=node.parent.is_none()>{Msg::CategoryRoot.text(lang)}</option>
                            {category_options(&others, node.parent)}
                        </select>
                        <button type="submit">{Msg::Move.text(lang)}</button>
                    </ActionForm>
                    <ActionForm action=delete attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                    </ActionForm>
                </span>
            })}
        </li>
    }
}

// ---------------------------------------------------------------- 4. products

#[component]
pub fn ProductsPage() -> impl IntoView {
    let lang = use_lang();
    let edit = can_edit();
    let create = ServerAction::<CreateProduct>::new();
    let update = ServerAction::<UpdateProduct>::new();
    let active = ServerAction::<SetProductActive>::new();
    let search = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let editing: RwSignal<Option<ProductRow>> = RwSignal::new(None);
    let changes = Signal::derive(move || create.version().get() + update.version().get() + active.version().get());
    let products =
        Resource::new(move || (search.get(), category.get(), changes.get()), |(search, category, _)| list_products(Some(search), Some(category)));
    let categories = Resource::new(|| (), |_| list_categories());
    let outcome = last_outcome!(active);
    let create_error = error_of(create.value());
    let update_error = error_of(update.value());
    let create_form = reset_on_success(create.value());
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            editing.set(None);
        }
    });
    view! {
        <StepNav step=Step::Products refresh=changes />
        <section class="panel config">
            <h1>{Msg::StepProducts.text(lang)}</h1>
            <p class="intro">{Msg::ProductsIntro.text(lang)}</p>
            {read_only_notice(lang)}
            <div class="filters" id="product-filters">
                <input type="search" name="search" placeholder=Msg::ProductSearch.text(lang) aria-label=Msg::ProductSearch.text(lang)
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                <select name="category" aria-label=Msg::FieldCategory.text(lang) on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{Msg::CategoryAll.text(lang)}</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move { category_options(&categories.await.unwrap_or_default(), None) })}
                    </Transition>
                </select>
            </div>
            <Outcome outcome=outcome />
            <Show when=move || saved(update.value()).get()>
                <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p>
            </Show>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    products.await.map(|rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">{Msg::ProductNone.text(lang)}</p> }.into_any();
                        }
                        view! {
                            <table class="data" id="products-table">
                                <thead><tr>
                                    <th>{Msg::FieldCode.text(lang)}</th>
                                    <th>{Msg::FieldName.text(lang)}</th>
                                    <th>{Msg::FieldCategory.text(lang)}</th>
                                    <th>{Msg::FieldUnit.text(lang)}</th>
                                    <th class="num">{Msg::FieldListPrice.text(lang)}</th>
                                    <th class="num">{Msg::FieldVatRate.text(lang)}</th>
                                    <th>{Msg::Status.text(lang)}</th>
                                    {edit.then(|| view! { <th>{Msg::Actions.text(lang)}</th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| {
                                        let toggle = if row.active { Msg::Deactivate } else { Msg::Reactivate };
                                        let status = if row.active { Msg::Active } else { Msg::Inactive };
                                        let for_edit = row.clone();
                                        view! {
                                            <tr data-code=row.code.clone() class:inactive=!row.active>
                                                <td class="code">{row.code.clone()}</td>
                                                <td>{row.name.clone()}</td>
                                                <td>{row.category_name.clone().unwrap_or_default()}</td>
                                                <td>{row.unit.clone()}</td>
                                                <td class="num">{row.list_price.number(lang)}</td>
                                                <td class="num">{row.vat_rate.text(lang)}</td>
                                                <td>{status.text(lang)}</td>
                                                {edit.then(|| view! {
                                                    <td class="actions">
                                                        <button type="button" class="edit" on:click=move |_| editing.set(Some(for_edit.clone()))>{Msg::Edit.text(lang)}</button>
                                                        <ActionForm action=active attr:class="inline">
                                                            <input type="hidden" name="id" value=row.id.0 />
                                                            <input type="hidden" name="version" value=row.version />
                                                            <input type="hidden" name="active" value=(!row.active).to_string() />
                                                            <button type="submit" class="toggle-active">{toggle.text(lang)}</button>
                                                        </ActionForm>
                                                    </td>
                                                })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }).map_err(|e| e.message(lang))
                })}
            </Transition>
        </section>
        {move || editing.get().map(|row| view! {
            <section class="panel" id="edit-product">
                <h2>{Msg::ProductEdit.text(lang)}": "{row.code.clone()}</h2>
                <ActionForm action=update attr:id="edit-product-form">
                    <input type="hidden" name="id" value=row.id.0 />
                    <input type="hidden" name="version" value=row.version />
                    <ProductFields initial=Some(row.clone()) categories=categories error=update_error />
                    <FormError error=update_error />
                    <div class="buttons">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>{Msg::Save.text(lang)}</button>
                        <button type="button" on:click=move |_| editing.set(None)>{Msg::Cancel.text(lang)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        {edit.then(|| view! {
            <section class="panel">
                <h2>{Msg::ProductNew.text(lang)}</h2>
                <ActionForm action=create node_ref=create_form attr:id="new-product-form">
                    <ProductFields initial=None categories=categories error=create_error />
                    <FormError error=create_error />
                    <button type="submit" class="primary" disabled=move || create.pending().get()>{Msg::ProductCreate.text(lang)}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn ProductFields(
    initial: Option<ProductRow>,
    categories: Resource<AppResult<Vec<CategoryNode>>>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let selected_category = initial.as_ref().and_then(|p| p.category);
    let vat = initial.as_ref().map(|p| p.vat_rate).unwrap_or(VAT_RATES[0]);
    let text = |f: fn(&ProductRow) -> String| initial.as_ref().map(f).unwrap_or_default();
    view! {
        <div class="grid">
            <label>{Msg::FieldCode.text(lang)}
                <input type="text" name="code" value=text(|p| p.code.clone()) required />
                <FieldError error=error field=Field::Code />
            </label>
            <label class="wide">{Msg::FieldName.text(lang)}
                <input type="text" name="name" value=text(|p| p.name.clone()) required />
                <FieldError error=error field=Field::Name />
            </label>
            <label>{Msg::FieldCategory.text(lang)}
                <select name="category">
                    <option value="">"—"</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move { category_options(&categories.await.unwrap_or_default(), selected_category) })}
                    </Transition>
                </select>
                <FieldError error=error field=Field::Category />
            </label>
            <label>{Msg::FieldUnit.text(lang)}
                <select name="unit">
                    {UNITS.into_iter().map(|u| view! {
                        <option value=u selected=initial.as_ref().map_or(u == "pz", |p| p.unit == u)>{u}</option>
                    }).collect_view()}
                    {initial.as_ref().filter(|p| !UNITS.contains(&p.unit.as_str())).map(|p| view! {
                        <option value=p.unit.clone() selected=true>{p.unit.clone()}</option>
                    })}
                </select>
                <FieldError error=error field=Field::Unit />
            </label>
            <label>{Msg::FieldListPrice.text(lang)}
                <input type="text" inputmode="decimal" name="list_price" value=text(|p| p.list_price.to_input_string()) placeholder="0,00" required />
                <FieldError error=error field=Field::ListPrice />
            </label>
            <label>{Msg::FieldVatRate.text(lang)}
                <select name="vat_rate">
                    {VAT_RATES.into_iter().map(|rate| view! {
                        <option value=(rate.bp() / 100).to_string() selected=rate == vat>{rate.text(lang)}</option>
                    }).collect_view()}
                </select>
                <FieldError error=error field=Field::VatRate />
            </label>
            <label class="full">{Msg::FieldDescription.text(lang)}
                <textarea name="description" rows="2">{text(|p| p.description.clone().unwrap_or_default())}</textarea>
                <FieldError error=error field=Field::Description />
            </label>
        </div>
    }
}
