//! Every sentence the user reads, in Italian (the default) and English. The macro makes a missing
//! translation a compile error: each message is written with both languages side by side.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

macro_rules! messages {
    ($($key:ident => $it:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::It) => $it, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "Vendita", "Vendita";
    NavHome => "Home", "Home";
    NavUsers => "Utenti", "Users";
    NavProfile => "Profilo", "Profile";
    LanguageLabel => "Lingua", "Language";
    LanguageItalian => "Italiano", "Italiano";
    LanguageEnglish => "English", "English";
    ChangePassword => "Cambia password", "Change password";
    Logout => "Esci", "Log out";
    Login => "Accedi", "Sign in";
    LoginTitle => "Accedi a Vendita", "Sign in to Vendita";
    FirstRunTitle => "Benvenuto: crea l'amministratore", "Welcome: create the administrator";
    FirstRunIntro => "Nessun utente esiste ancora. Crea il primo amministratore: potrà poi aggiungere responsabili e risorse.",
                     "No user exists yet. Create the first administrator, who can then add managers and members.";
    FirstRunSubmit => "Crea amministratore", "Create administrator";
    PasswordRepeat => "Ripeti la password", "Repeat the password";
    CurrentPassword => "Password attuale", "Current password";
    PasswordChanged => "Password cambiata.", "Password changed.";
    Save => "Salva", "Save";
    Saving => "Salvataggio…", "Saving…";
    Loading => "Caricamento…", "Loading…";
    HomeWelcome => "Benvenuto", "Welcome";
    HomeSignedInAs => "Sei collegato come", "You are signed in as";
    HomeRole => "Ruolo", "Role";
    RoleAdmin => "Amministratore", "Administrator";
    RoleManager => "Responsabile", "Manager";
    RoleMember => "Risorsa", "Member";
    UsersTitle => "Utenti", "Users";
    UsersNew => "Nuovo utente", "New user";
    UsersCreate => "Crea utente", "Create user";
    UsersCreated => "Utente creato.", "User created.";
    UsersActive => "Attivo", "Active";
    UsersInactive => "Disattivato", "Deactivated";
    UsersStatus => "Stato", "Status";
    UsersActions => "Azioni", "Actions";
    UsersDeactivate => "Disattiva", "Deactivate";
    UsersReactivate => "Riattiva", "Reactivate";
    UsersSetRole => "Cambia ruolo", "Change role";
    UsersResetPassword => "Reimposta password", "Reset password";
    UsersPasswordReset => "Password reimpostata.", "Password reset.";
    UsersSaved => "Modifica salvata.", "Change saved.";
    FieldLogin => "Nome utente", "Login";
    FieldDisplayName => "Nome", "Name";
    FieldPassword => "Password", "Password";
    FieldNewPassword => "Nuova password", "New password";
    FieldRole => "Ruolo", "Role";
    FieldLanguage => "Lingua", "Language";
    ProblemRequired => "obbligatorio", "required";
    ProblemTooLong => "troppo lungo", "too long";
    ProblemTooShort => "troppo corto (almeno 8 caratteri)", "too short (at least 8 characters)";
    ProblemTaken => "già in uso", "already taken";
    ProblemInvalid => "non valido", "not valid";
    ProblemMismatch => "non corrisponde", "does not match";
    ErrUnauthenticated => "Devi accedere per continuare.", "Please sign in to continue.";
    ErrForbidden => "Operazione non consentita.", "You are not allowed to do this.";
    ErrNotFound => "Elemento non trovato.", "Not found.";
    ErrBadCredentials => "Nome utente o password errati.", "Wrong login or password.";
    ErrRateLimited => "Troppi tentativi falliti: riprova tra qualche minuto.", "Too many failed attempts: try again in a few minutes.";
    ErrConflict => "Qualcun altro ha modificato questo elemento nel frattempo: ricarica e riprova.", "Someone else changed this in the meantime: reload and try again.";
    ErrLastAdmin => "Non puoi rimuovere l'ultimo amministratore attivo.", "You cannot remove the last active administrator.";
    ErrAlreadySetUp => "L'amministratore esiste già: accedi.", "The administrator already exists: please sign in.";
    ErrInternal => "Errore interno del server: riprova.", "Internal server error: please try again.";
    ErrTransport => "Il server non risponde: controlla la connessione e riprova.", "The server did not answer: check the connection and try again.";
    NotFoundPage => "Pagina non trovata.", "Page not found.";
}
