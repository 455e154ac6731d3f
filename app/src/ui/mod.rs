//! The kit every page draws with: the viewer's language and user, the one way to show a refusal
//! (beside its field, above the form, or whole), a form's outcome, and `.erase()`. It imports no
//! page: the pages import it, the router (`shell`) assembles them.

mod erase;
pub use erase::{Erase, SyncHydrate};

use crate::auth::{CurrentUser, Viewer};
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use leptos::prelude::*;

/// The language of the page being drawn (the page reloads when it changes).
pub fn use_lang() -> Lang {
    use_context::<Viewer>().map(|v| v.lang).unwrap_or_default()
}

pub fn use_user() -> Option<CurrentUser> {
    use_context::<Viewer>().and_then(|v| v.user)
}

/// The one way a refusal is shown whole: its sentence in the user's language, announced. For a
/// page whose data could not be read, and for actions with no form field to mark (a move on the
/// board, a tag merge).
pub fn refused(error: &AppError, lang: Lang) -> AnyView {
    view! { <p class="notice error" role="alert">{error.message(lang)}</p> }.erase()
}

/// The refusal of the last action, if any (see [`refused`]).
#[component]
pub fn Refusal(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || error.get().map(|e| refused(&e, lang))
}

/// A refusal that belongs to no single field, shown above the form's button.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || error.get().filter(|e| e.field().is_none()).map(|e| refused(&e, lang))
}

/// The message for one field, shown beside it (the CSS marks the field).
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, field: Field) -> impl IntoView {
    let lang = use_lang();
    move || error.get().filter(|e| e.field() == Some(field)).map(|e| view! { <span class="field-error" role="alert">{e.message(lang)}</span> })
}

// ---------------------------------------------------------------- forms

/// Whether the viewer may change the configuration (the server refuses anyway).
pub fn can_edit() -> bool {
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
pub(crate) use last_outcome;

/// Any refusal, field or not (row forms are too small to mark a field).
#[component]
pub fn Outcome(outcome: RwSignal<Option<Result<(), AppError>>>) -> impl IntoView {
    let lang = use_lang();
    move || match outcome.get() {
        Some(Err(err)) => Some(view! { <p class="notice error" role="alert">{err.message(lang)}</p> }.erase()),
        Some(Ok(())) => Some(view! { <p class="notice ok" role="status">{Msg::ConfigSaved.text(lang)}</p> }.erase()),
        None => None,
    }
}

pub fn error_of<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

pub fn saved<T, S>(value: S) -> Signal<bool>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || matches!(value.get(), Some(Ok(_))))
}

/// Empties a creation form once the server accepted it, ready for the next entry.
pub fn reset_on_success<T, S>(value: S) -> NodeRef<leptos::html::Form>
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

pub fn read_only_notice(lang: Lang) -> impl IntoView {
    (!can_edit()).then(|| view! { <p class="notice info" id="config-read-only">{Msg::ConfigReadOnly.text(lang)}</p> })
}
