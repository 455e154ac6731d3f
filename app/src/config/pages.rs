//! The configuration pages: the overview with the wizard's progress, then one page per step.
//! Everybody reads them; the forms are drawn only for managers (the server refuses anyway).

use super::*;
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, FormError, can_edit, error_of, read_only_notice, refused, saved, use_lang};
use leptos::prelude::*;

// ---------------------------------------------------------------- a step's page

/// The page of one configuration step: the wizard's progress, then the step's panel with its
/// title, what it is for, the notice that members only read, and the page's own content.
#[component]
pub(crate) fn StepPage(
    step: Step,
    intro: Msg,
    #[prop(into)] refresh: Signal<usize>,
    #[prop(optional)] narrow: bool,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <StepNav step refresh />
        <section class="panel config" class:narrow=narrow>
            <h1>{step.label().text(lang)}</h1>
            <p class="intro">{intro.text(lang)}</p>
            {read_only_notice(lang)}
            {children()}
        </section>
    }
}

// ---------------------------------------------------------------- wizard progress

/// The steps with their state, the current one marked, and (while the wizard runs) the link
/// to the next step.
#[component]
pub(crate) fn StepNav(step: Step, #[prop(into)] refresh: Signal<usize>) -> impl IntoView {
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
                            <span class="wizard-count" id="wizard-count">{format!("{}/{}", o.done_count(), Step::ALL.len())}</span>
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
            <p>
                <a href="/config/crm/company" class="button" id="open-company">{Msg::CompanyOpen.text(lang)}</a>" "
                <a href="/config/crm/commissions" class="button" id="open-commissions">{Msg::ComRules.text(lang)}</a>
            </p>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let next = o.next_step();
                            view! {
                                <div class="progress" id="config-progress">
                                    <span>{Msg::ConfigProgress.text(lang)}": "<strong>{format!("{}/{}", o.done_count(), Step::ALL.len())}</strong></span>
                                    <progress max=Step::ALL.len() value=o.done_count()>{format!("{}/{}", o.done_count(), Step::ALL.len())}</progress>
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
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
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
        Step::LostReasons => format!("{} {}", o.lost_reasons, Msg::StepLostReasons.text(lang).to_lowercase()),
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
        <StepPage step=Step::Tag intro=Msg::TagIntro refresh=Signal::derive(move || save.version().get()) narrow=true>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    overview.await.map(|o| view! {
                        <ActionForm action=save attr:id="sales-tag-form">{view! {
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
                        }.erase()}</ActionForm>
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
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
        <StepPage step=Step::Stages intro=Msg::StagesIntro refresh=Signal::derive(move || save.version().get()) narrow=true>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    overview.await.map(|o| {
                        let p = o.settings.probabilities;
                        view! {
                            <ActionForm action=save attr:id="stages-form">{view! {
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
                            }.erase()}</ActionForm>
                        }
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
    }
}
