//! One's own account: signing in, the first run (the first administrator), changing one's
//! password, the language switch.

use crate::auth::{ChangePassword, Login, SetLanguage, reload_to};
use crate::error::Field;
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, FormError, use_lang};
use crate::users::FirstRun;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="auth-card">
            <h1>{Msg::LoginTitle.text(lang)}</h1>
            <ActionForm action=action attr:id="login-form">{view! {
                <label>
                    {Msg::FieldLogin.text(lang)}
                    <input type="text" name="login" autocomplete="username" required autofocus />
                </label>
                <label>
                    {Msg::FieldPassword.text(lang)}
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <FormError error=error />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::Login.text(lang)}
                </button>
            }.erase()}</ActionForm>
            <LanguageSwitch />
        </section>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="panel narrow">
            <h1>{Msg::ChangePassword.text(lang)}</h1>
            <ActionForm action=action attr:id="change-password-form">{view! {
                <label>
                    {Msg::CurrentPassword.text(lang)}
                    <input type="password" name="current" autocomplete="current-password" required />
                    <FieldError error=error field=Field::Password />
                </label>
                <label>
                    {Msg::FieldNewPassword.text(lang)}
                    <input type="password" name="new_password" autocomplete="new-password" required />
                    <FieldError error=error field=Field::NewPassword />
                </label>
                <label>
                    {Msg::PasswordRepeat.text(lang)}
                    <input type="password" name="new_password_repeat" autocomplete="new-password" required />
                </label>
                <FormError error=error />
                <Show when=done>
                    <p class="notice ok">{Msg::PasswordChanged.text(lang)}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::Save.text(lang)}
                </button>
            }.erase()}</ActionForm>
        </section>
    }
}

#[component]
pub fn FirstRunPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<FirstRun>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="auth-card">
            <h1>{Msg::FirstRunTitle.text(lang)}</h1>
            <p class="intro">{Msg::FirstRunIntro.text(lang)}</p>
            <ActionForm action=action attr:id="first-run-form">{view! {
                <label>
                    {Msg::FieldLogin.text(lang)}
                    <input type="text" name="login" autocomplete="username" required />
                    <FieldError error=error field=Field::Login />
                </label>
                <label>
                    {Msg::FieldDisplayName.text(lang)}
                    <input type="text" name="display_name" autocomplete="name" required />
                    <FieldError error=error field=Field::DisplayName />
                </label>
                <label>
                    {Msg::FieldPassword.text(lang)}
                    <input type="password" name="password" autocomplete="new-password" required />
                    <FieldError error=error field=Field::Password />
                </label>
                <label>
                    {Msg::PasswordRepeat.text(lang)}
                    <input type="password" name="password_repeat" autocomplete="new-password" required />
                </label>
                <FormError error=error />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::FirstRunSubmit.text(lang)}
                </button>
            }.erase()}</ActionForm>
            <LanguageSwitch />
        </section>
    }
}

/// Italiano / English, kept on the user (or in a cookie before signing in); the page reloads.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    view! {
        <div class="lang-switch" aria-label=Msg::LanguageLabel.text(lang)>
            {[(Lang::It, Msg::LanguageItalian), (Lang::En, Msg::LanguageEnglish)].into_iter().map(|(option, label)| view! {
                <ActionForm action=action attr:class="inline">{view! {
                    <input type="hidden" name="lang" value=option.code() />
                    <button type="submit" class:current=option == lang data-lang=option.code()>{label.text(lang)}</button>
                }.erase()}</ActionForm>
            }).collect_view()}
        </div>
    }
}
