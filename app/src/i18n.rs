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

    /// A day as this language writes it: 02/03/2026 in Italian, 2026-03-02 in English (as the
    /// workbook's date format). Date fields show and take this form, whatever the browser's locale.
    pub fn date(self, day: chrono::NaiveDate) -> String {
        match self {
            Lang::It => day.format("%d/%m/%Y").to_string(),
            Lang::En => day.format("%Y-%m-%d").to_string(),
        }
    }

    /// Today (UTC) as this language writes it, for a date field's default.
    pub fn today(self) -> String {
        self.date(chrono::Utc::now().date_naive())
    }

    /// What a date field shows while empty.
    pub fn date_hint(self) -> &'static str {
        match self {
            Lang::It => "gg/mm/aaaa",
            Lang::En => "yyyy-mm-dd",
        }
    }

    /// A typed day in this language's form, for a date field; `""` stays empty, and text that is
    /// no date stays as typed (the server names the field).
    pub fn date_input(self, text: &str) -> String {
        parse_day(text).map(|d| self.date(d)).unwrap_or_else(|| text.to_string())
    }
}

/// A day as either language writes it: `2026-03-02` or `02/03/2026` (`2/3/2026`). The server
/// takes both, so a form sends what its field shows.
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    let digits = |part: &str, min: usize, max: usize| (min..=max).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split(['/', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let (y, m, d) = if text.contains('/') && !text.contains('-') && digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 4, 4) {
        (c, b, a)
    } else if !text.contains('/') && digits(a, 4, 4) && digits(b, 2, 2) && digits(c, 2, 2) {
        (a, b, c)
    } else {
        return None;
    };
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
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
    ProfileMenuConfig => "Configurazione → CRM", "Settings → CRM";
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
    ErrBadRequest => "Richiesta non valida.", "Malformed request.";
    ErrTransport => "Il server non risponde: controlla la connessione e riprova.", "The server did not answer: check the connection and try again.";
    NotFoundPage => "Pagina non trovata.", "Page not found.";
    // ---------------------------------------------------------------- CRM configuration
    NavConfig => "Configurazione CRM", "CRM settings";
    ConfigTitle => "Configurazione CRM", "CRM settings";
    ConfigWizardIntro => "Configura il CRM in cinque passi: ognuno si salva da solo, puoi interrompere e riprendere quando vuoi.",
                         "Set up the CRM in five steps: each one is saved on its own, you can stop and resume at any time.";
    ConfigReadOnly => "Solo i responsabili possono modificare la configurazione: tu puoi consultarla.",
                      "Only managers can change the configuration: you may read it.";
    ConfigProgress => "Passi completati", "Steps done";
    ConfigStepDone => "Fatto", "Done";
    ConfigStepTodo => "Da fare", "To do";
    ConfigStart => "Inizia", "Start";
    ConfigOpen => "Apri", "Open";
    ConfigNext => "Avanti", "Next";
    ConfigBack => "Configurazione CRM", "CRM settings";
    ConfigAllDone => "Configurazione completata. Ogni passo resta modificabile dalla sua pagina.",
                     "Configuration complete. Each step can still be changed from its page.";
    ConfigSaved => "Salvato.", "Saved.";
    StepTag => "Tag di vendita", "Sales tag";
    StepSellers => "Venditori", "Sellers";
    StepCategories => "Categorie", "Categories";
    StepProducts => "Prodotti", "Products";
    StepStages => "Probabilità delle fasi", "Stage probabilities";
    TagIntro => "I contatti con questo tag mostrano la scheda Vendita.", "Contacts carrying this tag show the Sales tab.";
    TagCustomers => "Clienti", "Customers (Clienti)";
    TagSuppliers => "Fornitori", "Suppliers (Fornitori)";
    TagNone => "Non ancora scelto", "Not chosen yet";
    SellersIntro => "Un venditore è un utente oppure un venditore generico (un team, un ufficio, un'agenzia) con i suoi membri.",
                    "A seller is a user, or a generic seller (a team, an office, an agency) with its members.";
    SellerKindUser => "Utente", "User";
    SellerKindGeneric => "Generico", "Generic";
    SellerKind => "Tipo", "Type";
    SellerNewUser => "Nuovo venditore utente", "New user seller";
    SellerNewGeneric => "Nuovo venditore generico", "New generic seller";
    SellerCreate => "Aggiungi venditore", "Add seller";
    SellerNameOptional => "Nome (facoltativo: altrimenti quello dell'utente)", "Name (optional: the user's name otherwise)";
    SellerPickUser => "Scegli un utente", "Pick a user";
    SellerNoSellers => "Nessun venditore ancora.", "No sellers yet.";
    SellerSaveMembers => "Salva membri", "Save members";
    Rename => "Rinomina", "Rename";
    Delete => "Elimina", "Delete";
    Deactivate => "Disattiva", "Deactivate";
    Reactivate => "Riattiva", "Reactivate";
    Active => "Attivo", "Active";
    Inactive => "Disattivato", "Inactive";
    Status => "Stato", "Status";
    Actions => "Azioni", "Actions";
    Edit => "Modifica", "Edit";
    Cancel => "Annulla", "Cancel";
    MoveUp => "Su", "Up";
    MoveDown => "Giù", "Down";
    Move => "Sposta", "Move";
    CategoriesIntro => "Categorie e sottocategorie dei prodotti. Il numero accanto a ogni categoria è quanti prodotti contiene.",
                       "Product categories and sub-categories. The number beside each category is how many products it holds.";
    CategoryNew => "Nuova categoria", "New category";
    CategoryCreate => "Aggiungi categoria", "Add category";
    CategoryRoot => "(nessuna: categoria principale)", "(none: top level)";
    CategoryNone => "Nessuna categoria ancora.", "No categories yet.";
    CategoryProducts => "prodotti", "products";
    CategoryAll => "Tutte le categorie", "All categories";
    ProductsIntro => "Il catalogo: i prodotti disattivati non sono proposti nelle nuove vendite.", "The catalogue: inactive products are not offered for new sales.";
    ProductNew => "Nuovo prodotto", "New product";
    ProductCreate => "Aggiungi prodotto", "Add product";
    ProductEdit => "Modifica prodotto", "Edit product";
    ProductSearch => "Cerca per codice o nome", "Search by code or name";
    ProductNone => "Nessun prodotto trovato.", "No products found.";
    StagesIntro => "La probabilità proposta per ogni fase di una vendita (modificabile in ogni vendita). Vinta è sempre 100%, persa 0%.",
                   "The probability suggested for each stage of a sale (editable on every sale). Won is always 100%, lost 0%.";
    StageLead => "Probabilità lead (%)", "Lead probability (%)";
    StageNegotiation => "Probabilità trattativa (%)", "Negotiation probability (%)";
    StageProposal => "Probabilità offerta (%)", "Proposal probability (%)";
    StageWon => "Vinta: 100%", "Won: 100%";
    StageLost => "Persa: 0%", "Lost: 0%";
    FieldName => "Nome", "Name";
    FieldSalesTag => "Tag di vendita", "Sales tag";
    FieldCurrency => "Valuta", "Currency";
    FieldSellerUser => "Utente", "User";
    FieldMembers => "Membri", "Members";
    FieldParent => "Categoria superiore", "Parent category";
    FieldCode => "Codice", "Code";
    FieldDescription => "Descrizione", "Description";
    FieldCategory => "Categoria", "Category";
    FieldUnit => "Unità", "Unit";
    FieldListPrice => "Prezzo di listino", "List price";
    FieldVatRate => "IVA", "VAT";
    ProblemNegative => "non può essere negativo", "cannot be negative";
    ProblemTooManyDecimals => "al massimo 2 decimali", "at most 2 decimals";
    ProblemOutOfRange => "deve essere tra 0 e 100", "must be between 0 and 100";
    ProblemCycle => "non può stare sotto sé stessa o una sua sottocategoria", "cannot go under itself or one of its sub-categories";
    ErrCategoryHasChildren => "La categoria ha ancora sottocategorie: spostale o eliminale prima.", "The category still has sub-categories: move or delete them first.";
    ErrCategoryHasProducts => "La categoria contiene ancora prodotti: spostali in un'altra categoria prima.", "The category still holds products: move them to another category first.";
    // ---------------------------------------------------------------- address book and sales
    NavContacts => "Rubrica", "Address book";
    NavSales => "Vendite", "Sales";
    NavMenu => "Menu", "Menu";
    FieldContact => "Contatto", "Contact";
    FieldMonth => "Mese", "Month";
    FieldTarget => "Obiettivo", "Target";
    FieldUplift => "Aumento", "Uplift";
    FieldOfferDate => "Data offerta", "Offer date";
    FieldValidUntil => "Valida fino al", "Valid until";
    FieldPaymentTerms => "Pagamento", "Payment terms";
    FieldDeliveryTerms => "Consegna", "Delivery terms";
    FieldIntro => "Testo iniziale", "Introduction";
    FieldClosing => "Testo finale", "Closing text";
    FieldLines => "Righe", "Lines";
    OfferLineN => "Riga {n}", "Line {n}";
    OffersAllOfContact => "Tutte le offerte del contatto", "All the contact's offers";
    CompanyOffers => "Le offerte", "Offers";
    CompanyValidityDays => "Validità (giorni)", "Validity (days)";
    CompanyPaymentTerms => "Condizioni di pagamento (una per riga)", "Payment terms (one a line)";
    CompanyDeliveryTerms => "Condizioni di consegna (una per riga)", "Delivery terms (one a line)";
    OffersSearch => "Cerca per cliente", "Search by customer";
    OffersAllStates => "Tutti gli stati", "Every state";
    OffersApply => "Filtra", "Filter";
    OffersCount => "Offerte", "Offers";
    OffersNoneFound => "Nessuna offerta con questi filtri.", "No offers match these filters.";
    OfferRevise => "Crea una revisione", "Make a revision";
    OfferReviseHint => "Per cambiare un'offerta già inviata se ne crea una revisione: stesso numero, ciò che il cliente ha ricevuto resta com'era.", "To change a sent offer, make a revision: same number, what the customer received stays as it was.";
    OfferPdf => "Scarica PDF", "Download PDF";
    CompanyTitle => "Intestazione", "Letterhead";
    CompanyIntro => "I dati dell'azienda stampati in cima a ogni offerta.", "The company details printed at the top of every offer.";
    CompanyRea => "REA", "REA no.";
    CompanyPhone => "Tel.", "Phone";
    CompanyIban => "IBAN", "IBAN";
    CompanyOpen => "Intestazione delle offerte", "Offers' letterhead";
    OfferAmount => "Importo", "Amount";
    PdfQuantity => "Q.tà", "Qty";
    PdfUnit => "U.M.", "Unit";
    PdfPrice => "Prezzo", "Price";
    PdfDiscount => "Sconto", "Disc.";
    PdfVat => "IVA", "VAT";
    PdfCustomer => "Spett.le", "To";
    PdfVatNumber => "P.IVA", "VAT no.";
    PdfTaxCode => "C.F.", "Tax code";
    PdfOfferNo => "Offerta n.", "Offer no.";
    PdfDated => "del", "dated";
    PdfVatSummary => "Aliquota", "VAT rate";
    PdfAcceptance => "Per accettazione", "Accepted by the customer";
    PdfDate => "Data", "Date";
    PdfSignature => "Timbro e firma", "Stamp and signature";
    PdfPage => "Pagina {n} di {of}", "Page {n} of {of}";
    OffersTitle => "Offerte", "Offers";
    OffersNew => "Nuova offerta", "New offer";
    OffersNone => "Nessuna offerta per questo contatto.", "No offers for this contact.";
    OffersBack => "Torna al contatto", "Back to the contact";
    OfferTitle => "Offerta", "Offer";
    OfferNumber => "Numero", "Number";
    OfferStateTitle => "Stato", "State";
    OfferTaxable => "Imponibile", "Taxable";
    OfferVat => "IVA", "VAT";
    OfferTotal => "Totale", "Total";
    OfferDecidedOn => "risposta del", "answered on";
    OfferAnswerTitle => "Risposta del cliente", "The customer's answer";
    OfferAnswerDay => "Data della risposta", "Day of the answer";
    OfferMarkAccepted => "Segna come accettata", "Mark as accepted";
    OfferMarkRejected => "Segna come rifiutata", "Mark as rejected";
    OfferValidityHint => "{n} giorni", "{n} days";
    OfferLinesHint => "Trascina una riga per spostarla, oppure usa ↑ ↓. Lo sconto si scrive anche in cascata: 10+5.", "Drag a line to move it, or use ↑ ↓. A discount can be a cascade: 10+5.";
    OfferSection => "Sezione", "Section";
    OfferNote => "Nota", "Note";
    OfferFreeLine => "Riga libera", "Free line";
    OfferMoveUp => "Sposta su", "Move up";
    OfferMoveDown => "Sposta giù", "Move down";
    OfferRemoveLine => "Togli la riga", "Remove the line";
    OfferSaved => "Bozza salvata.", "Draft saved.";
    OfferSaveDraft => "Salva bozza", "Save draft";
    OfferMarkSent => "Segna come inviata", "Mark as sent";
    OfferDeleteDraft => "Elimina bozza", "Delete draft";
    OfferDraft => "Bozza", "Draft";
    OfferSent => "Inviata", "Sent";
    OfferAccepted => "Accettata", "Accepted";
    OfferRejected => "Rifiutata", "Rejected";
    OfferExpired => "Scaduta", "Expired";
    HistoryOffer => "offerta", "offer";
    ErrSaleNotOpen => "La vendita è già chiusa (vinta o persa): non può diventare un'offerta.", "The sale is closed (won or lost): it cannot become an offer.";
    OfferFromSale => "Crea offerta", "Make an offer";
    OfferFromSaleHint => "L'offerta parte da questa vendita: il prodotto, la quantità, il prezzo, lo sconto e il venditore diventano la sua prima riga. Quando l'offerta viene inviata la vendita passa in Offerta con lei, senza contarla due volte.", "The offer starts from this sale: its product, quantity, price, discount and seller become its first line. When the offer is sent the sale moves to Proposal with it, never counted twice.";
    CompanyLogo => "Logo", "Logo";
    CompanyLogoHint => "PNG o JPEG, al massimo 1 MB e 4000 pixel per lato: compare in alto a sinistra nelle offerte.", "PNG or JPEG, at most 1 MB and 4000 pixels a side: printed top left on the offers.";
    CompanyLogoUpload => "Carica il logo", "Upload the logo";
    CompanyLogoRemove => "Togli il logo", "Remove the logo";
    CompanyLogoNone => "Nessun logo.", "No logo.";
    RepOffersSent => "Inviate", "Sent";
    RepOffersRateCount => "Accettate / inviate (n.)", "Accepted / sent (count)";
    RepOffersRateValue => "Accettate / inviate (valore)", "Accepted / sent (value)";
    RepOffersDays => "Giorni alla risposta (mediana)", "Days to the answer (median)";
    XlsSheetOffers => "Offerte", "Offers";
    XlsSheetCommissions => "Provvigioni", "Commissions";
    ErrMailOff => "L'invio per e-mail non è configurato: scarica il PDF e segna l'offerta come inviata.", "E-mail is not set up: download the PDF and mark the offer as sent.";
    ErrMailFailed => "Il server di posta non ha accettato il messaggio: l'offerta non è stata inviata. Riprova più tardi, oppure scarica il PDF e segnala come inviata.", "The mail server did not take the message: the offer was not sent. Try again later, or download the PDF and mark it as sent.";
    MailTo => "Destinatari", "Recipients";
    MailToHint => "Indirizzi separati da virgola, al massimo 10.", "Addresses separated by commas, at most 10.";
    MailSubject => "Oggetto", "Subject";
    MailText => "Testo", "Text";
    MailSend => "Invia per e-mail", "Send by e-mail";
    MailTitle => "Invio per e-mail", "Sending by e-mail";
    MailSubjectDefault => "Offerta {number} – {company}", "Offer {number} – {company}";
    MailTextDefault => "Gentile cliente,\n\nin allegato la nostra offerta {number}, valida fino al {valid}.\n\nCordiali saluti\n{company}", "Dear customer,\n\nplease find attached our offer {number}, valid until {valid}.\n\nKind regards\n{company}";
    MailTextLink => "Può accettarla online qui: {link}", "You can accept it online here: {link}";
    OfferSentTo => "Inviata per e-mail a {to}", "E-mailed to {to}";
    LinkAcceptHint => "Per accettare l'offerta alle condizioni indicate, scrivi il tuo nome e premi Accetto. Registriamo il nome, la data, l'ora e l'indirizzo di rete.", "To accept the offer on the terms above, type your name and press Accept. The name, date, time and network address are recorded.";
    LinkSigner => "Nome e cognome", "Full name";
    LinkAccept => "Accetto", "Accept";
    LinkThanks => "Grazie: offerta accettata da {name} il {date} alle {time}.", "Thank you: offer accepted by {name} on {date} at {time}.";
    LinkClosed => "Questo link non apre più nessuna offerta: ha già una risposta, è stata rivista o è scaduta. Chiedi a chi te l'ha inviata.", "This link opens no offer any more: it has been answered, revised or has expired. Ask whoever sent it to you.";
    LinkTooMany => "Troppi link sbagliati da questo indirizzo: riprova tra 15 minuti.", "Too many wrong links from this address: try again in 15 minutes.";
    OfferOnline => "Accettazione online", "Online acceptance";
    OfferOnlineHint => "Quando l'offerta viene inviata si crea un link: il cliente la apre senza account e accetta scrivendo il suo nome.", "When the offer is sent a link is made: the customer opens it without an account and accepts by typing his name.";
    OfferLink => "Link per il cliente", "The customer's link";
    OfferSigned => "Accettata online da {name} il {date} alle {time} (indirizzo {address}).", "Accepted online by {name} on {date} at {time} (address {address}).";
    HomeOffersAnswered => "Risposte alle offerte", "Answers to offers";
    ErrOfferNotDraft => "L'offerta è già stata inviata: per cambiarla se ne crea una revisione.", "The offer has been sent: to change it, make a revision.";
    ErrOfferNotSent => "L'offerta non è in attesa di risposta.", "The offer is not waiting for an answer.";
    ErrOfferEmpty => "L'offerta non ha righe con un prezzo: non si può inviare.", "The offer has no priced line: it cannot be sent.";
    ErrSaleOnOffer => "La vendita fa parte dell'offerta {offer}: si cambia dall'offerta.", "The sale belongs to offer {offer}: change it on the offer.";
    HomeTeam => "Le cifre di tutta la squadra.", "The whole team's figures.";
    HomeMine => "Le cifre dei tuoi venditori.", "Your sellers' figures.";
    HomeWonMonth => "Vinto questo mese", "Won this month";
    HomeLastYear => "stesso mese l'anno scorso:", "same month last year:";
    HomeOverdue => "In ritardo", "Overdue";
    HomeNoOverdue => "Nessuna trattativa in ritardo.", "No overdue deals.";
    HomeClosingSoon => "In chiusura nei prossimi 14 giorni", "Closing in the next 14 days";
    HomeNoneSoon => "Nessuna trattativa in chiusura nei prossimi 14 giorni.", "No deals closing in the next 14 days.";
    HomeRecent => "Ultime vendite registrate o modificate", "Latest registered or changed sales";
    HomeNoneRecent => "Nessuna vendita ancora.", "No sales yet.";
    HomeSellers => "Venditori", "Sellers";
    HomeSeeAll => "Vedi tutte", "See all";
    HomeWizard => "Configurazione CRM in corso.", "CRM setup in progress.";
    HomeWizardDone => "{done} passi su {total} completati.", "{done} of {total} steps done.";
    HomeWizardNext => "Prossimo passo", "Next step";
    SalesListTitle => "Vendite", "Sales";
    SalesListSearch => "Cerca contatto, prodotto o note", "Search contact, product or notes";
    SalesListAllSellers => "Tutti i venditori", "All sellers";
    SalesListAllStages => "Tutte le fasi", "All stages";
    SalesListOpenStages => "Aperte (lead, trattativa, offerta)", "Open (lead, negotiation, proposal)";
    SalesListFrom => "Data vendita dal", "Sale date from";
    SalesListTo => "Data vendita al", "Sale date to";
    SalesListCloseFrom => "Chiusura prevista dal", "Expected close from";
    SalesListCloseTo => "Chiusura prevista al", "Expected close to";
    SalesListOverdueOnly => "Solo in ritardo", "Overdue only";
    SalesListApply => "Filtra", "Filter";
    SalesListReset => "Azzera filtri", "Clear filters";
    SalesListNone => "Nessuna vendita corrisponde ai filtri.", "No sale matches the filters.";
    SalesListCount => "Vendite", "Sales";
    SalesListBoard => "Vista a colonne", "Board view";
    BoardTitle => "Pipeline", "Pipeline";
    BoardAsList => "Vista a elenco", "List view";
    BoardMoveTo => "Sposta in", "Move to";
    BoardThisMonth => "questo mese", "this month";
    BoardMore => "e altre {n}: restringi i filtri o usa l'elenco.", "and {n} more: narrow the filters or use the list.";
    ContactsTitle => "Rubrica", "Address book";
    ContactsManageTags => "Gestisci i tag", "Manage tags";
    TagsTitle => "Tag", "Tags";
    TagsBack => "Torna alla rubrica", "Back to the address book";
    TagsIntro => "Rinomina, unisci o elimina i tag dei contatti. Unendo due tag, ogni contatto tiene una sola copia. I tag di sistema (Clienti, Fornitori) restano.", "Rename, merge or delete contact tags. When two tags are merged each contact keeps one copy. The system tags (Clienti, Fornitori) stay.";
    TagsContacts => "Contatti", "Contacts";
    TagsSystem => "tag di sistema", "system tag";
    TagsNewName => "Nuovo nome", "New name";
    TagsRename => "Rinomina", "Rename";
    TagsMergeInto => "Unisci in", "Merge into";
    TagsMerge => "Unisci", "Merge";
    TagsDeleteConfirm => "Eliminare il tag da tutti i contatti?", "Remove the tag from every contact?";
    ContactsSearch => "Cerca per nome, azienda, e-mail, partita IVA o città", "Search by name, company, e-mail, VAT number or city";
    ContactsSearchButton => "Cerca", "Search";
    ContactsAllTags => "Tutti i tag", "All tags";
    ContactsNone => "Nessun contatto trovato.", "No contacts found.";
    ContactsNew => "Nuovo contatto", "New contact";
    ContactsNext => "Pagina successiva", "Next page";
    ContactsFirst => "Prima pagina", "First page";
    ContactsCreate => "Crea contatto", "Create contact";
    ContactsSaved => "Contatto salvato.", "Contact saved.";
    ContactsDeleteConfirm => "Eliminare definitivamente questo contatto?", "Delete this contact for good?";
    ContactsDeleteYes => "Sì, elimina", "Yes, delete";
    ContactsDeleted => "Contatto eliminato.", "Contact deleted.";
    ContactsBack => "Torna alla rubrica", "Back to the address book";
    ContactsNewTags => "Nuovi tag (separati da virgola)", "New tags (comma separated)";
    ContactsWarnSameVat => "Attenzione: un altro contatto ha la stessa partita IVA:", "Note: another contact has the same VAT number:";
    ContactsWarnSameEmail => "Attenzione: un altro contatto ha la stessa e-mail:", "Note: another contact has the same e-mail:";
    ContactsCreated => "Creato", "Created";
    ContactsUpdated => "Modificato", "Changed";
    TabData => "Dati", "Details";
    TabSales => "Vendita", "Sales";
    KindPerson => "Persona", "Person";
    KindCompany => "Azienda", "Company";
    FieldKind => "Tipo", "Type";
    FieldCompany => "Azienda", "Company";
    FieldVatNumber => "Partita IVA", "VAT number";
    FieldTaxCode => "Codice fiscale", "Tax code";
    FieldEmail => "E-mail", "E-mail";
    FieldPhone => "Telefono", "Phone";
    FieldAddress => "Indirizzo", "Address";
    FieldPostcode => "CAP", "Postcode";
    FieldCity => "Città", "City";
    FieldProvince => "Provincia", "Province";
    FieldCountry => "Paese (codice ISO, es. IT)", "Country (ISO code, e.g. IT)";
    FieldNotes => "Note", "Notes";
    FieldTags => "Tag", "Tags";
    FieldProduct => "Prodotto", "Product";
    FieldSeller => "Venditore", "Seller";
    FieldQuantity => "Quantità", "Quantity";
    FieldUnitPrice => "Prezzo unitario", "Unit price";
    FieldDiscount => "Sconto %", "Discount %";
    FieldStage => "Fase", "Stage";
    FieldProbability => "Probabilità %", "Probability %";
    FieldSaleDate => "Data vendita", "Sale date";
    FieldExpectedClose => "Chiusura prevista", "Expected close";
    FieldLostReason => "Motivo della perdita", "Reason lost";
    FieldNet => "Imponibile", "Net";
    FieldGross => "Totale IVA inclusa", "Gross (VAT incl.)";
    FieldClosedDate => "Data chiusura", "Closed on";
    ProblemEmailShape => "non sembra un indirizzo e-mail (es. nome@azienda.it)", "does not look like an e-mail address (e.g. name@company.com)";
    ProblemVatChecksum => "non è una partita IVA italiana valida (11 cifre, l'ultima di controllo)", "is not a valid Italian VAT number (11 digits, the last a check digit)";
    ProblemNotPositive => "deve essere maggiore di zero", "must be more than zero";
    ProblemTooLarge => "oltre il massimo consentito (quantità 1.000.000, prezzo e totale di riga 100.000.000)",
                       "above the allowed maximum (quantity 1,000,000; price and line total 100,000,000)";
    ProblemTooManyTags => "troppi tag (al massimo 20 nuovi per volta e 100 in tutto)", "too many tags (at most 20 new ones at a time and 100 in all)";
    ProblemBeforeSaleDate => "non può precedere la data della vendita", "cannot be before the sale date";
    ProblemInFuture => "non può essere nel futuro", "cannot be in the future";
    ProblemBadDate => "data non valida", "not a valid date";
    ErrSalesTagInUse => "Il contatto ha {n} vendite: il tag di vendita non si può togliere finché le ha (un responsabile può prima eliminarle).",
                        "The contact has {n} sales: the sales tag cannot be removed while it has them (a manager can delete them first).";
    ErrSalesTagInUseOthers => "Il contatto ha vendite di altri venditori: il tag di vendita non si può togliere finché le ha (un responsabile può prima eliminarle).", "The contact has other sellers' sales: the sales tag cannot be removed while it has them (a manager can delete them first).";
    ErrSalesTagInUseOne => "Il contatto ha una vendita: il tag di vendita non si può togliere finché c'è (un responsabile può prima eliminarla).",
                           "The contact has a sale: the sales tag cannot be removed while it has it (a manager can delete it first).";
    ErrSalesTagSwitch => "{n} contatti con vendite perderebbero la scheda Vendita (le loro vendite restano nei report). Spunta la conferma e salva di nuovo.",
                         "{n} contacts with sales would lose their Vendita tab (their sales stay in the reports). Tick the confirmation and save again.";
    ErrSalesTagSwitchOne => "Un contatto con vendite perderebbe la scheda Vendita (le sue vendite restano nei report). Spunta la conferma e salva di nuovo.",
                            "A contact with sales would lose its Vendita tab (its sales stay in the reports). Tick the confirmation and save again.";
    ConfigConfirmSwitch => "Confermo il cambio del tag di vendita", "I confirm the change of the sales tag";
    ErrTooLarge => "La richiesta è troppo grande.", "The request is too large.";
    ErrBusy => "Troppe esportazioni in corso: riprova tra qualche istante.", "Too many downloads in progress: try again in a moment.";
    ErrContactHasSales => "Il contatto ha delle vendite: non si può eliminare.", "The contact has sales: it cannot be deleted.";
    ErrNoSalesTag => "Questo contatto non ha il tag di vendita: la scheda Vendita non è disponibile.", "This contact does not carry the sales tag: it has no Sales tab.";
    ErrSystemTag => "I tag di sistema (Clienti, Fornitori) non si possono eliminare.", "System tags (Clienti, Fornitori) cannot be deleted.";
    ErrSaleConflict => "Qualcun altro ha modificato questa vendita mentre la modificavi: la tua modifica non è stata salvata. Ecco i valori attuali; controlla e salva di nuovo.",
                       "Someone else changed this sale while you were editing it: your change was not saved. Here are the current values; check them and save again.";
    SaleStageLead => "Lead", "Lead";
    SaleStageNegotiation => "Trattativa", "Negotiation";
    SaleStageProposal => "Offerta", "Proposal";
    SaleStageWon => "Vinta", "Won";
    SaleStageLost => "Persa", "Lost";
    SalesTitle => "Vendite", "Sales";
    SalesNone => "Nessuna vendita registrata per questo contatto.", "No sales recorded for this contact.";
    SalesWon => "Vinto", "Won";
    SalesOpen => "In corso", "Open pipeline";
    SalesWeighted => "Ponderato", "Weighted";
    SalesCount => "vendite", "sales";
    SalesCountOne => "vendita", "sale";
    SalesNew => "Registra una vendita", "Register a sale";
    SalesEdit => "Modifica vendita", "Edit sale";
    SalesRegister => "Registra vendita", "Register sale";
    SalesSaved => "Vendita salvata.", "Sale saved.";
    SalesDeleted => "Vendita eliminata.", "Sale deleted.";
    SalesDeleteConfirm => "Eliminare questa vendita? Resterà nello storico.", "Delete this sale? It stays in the history.";
    SalesDeleteYes => "Sì, elimina", "Yes, delete";
    SalesHistory => "Storico", "History";
    SalesHistoryCreated => "creata", "created";
    SalesHistoryDeleted => "eliminata", "deleted";
    SalesMore => "Mostra vendite meno recenti", "Show older sales";
    SalesProductSearch => "Cerca prodotto (codice o nome)", "Search product (code or name)";
    SalesPickProduct => "— scegli un prodotto —", "— pick a product —";
    SalesNoSellers => "Non sei collegato a nessun venditore attivo: chiedi a un responsabile di configurarlo.", "You are not linked to any active seller: ask a manager to set one up.";
    SalesCurrentValues => "Valori attuali", "Current values";
    SalesUpdatedBy => "ultima modifica di", "last changed by";
    SalesPrice => "Prezzo", "Price";
    // ---------------------------------------------------------------- reports
    NavReports => "Report", "Reports";
    RepMine => "Le mie vendite", "My sales";
    RepSellers => "Venditori", "Sellers";
    RepForecast => "Previsioni", "Forecast";
    RepTargets => "Obiettivi", "Targets";
    TargetsTitle => "Obiettivi di vendita", "Sales targets";
    TargetsIntro => "L'obiettivo mensile di ricavi vinti (netto) per venditore o team, in totale o per categoria principale. Un campo lasciato vuoto non ha obiettivo.", "The monthly target of won net revenue per seller or team, in total or per top-level category. A field left empty has no target.";
    TargetsHint => "Scrivi l'importo e lascia il campo: è salvato subito", "Type the amount and leave the field: it is saved at once";
    TargetsTotal => "Totale (tutte le categorie)", "Total (all categories)";
    TargetsNoSellers => "Nessun venditore attivo.", "No active seller.";
    TargetsPrevYear => "Anno precedente", "Previous year";
    TargetsNextYear => "Anno successivo", "Next year";
    TargetsCopy => "Copia dagli obiettivi del", "Copy from the targets of";
    TargetsCopyUplift => "Aumento", "Uplift";
    AttTitle => "Obiettivi raggiunti", "Target attainment";
    AccTitle => "Accuratezza delle previsioni", "Forecast accuracy";
    AccNote => "Il primo giorno di ogni mese Vendita congela la previsione ponderata dei sei mesi successivi. Qui il vinto di ogni mese passato è confrontato con la previsione congelata all'inizio del mese e tre mesi prima. Accuratezza = 1 − |previsione − vinto| ÷ vinto. Valgono i filtri di periodo, venditore e categoria (principale).", "On the first day of each month Vendita freezes the weighted forecast of the six months ahead. Here each past month's won revenue is set against the forecast frozen at the start of the month and three months before. Accuracy = 1 − |forecast − won| ÷ won. The period, seller and (top-level) category filters apply.";
    AccNoPast => "Nessun mese concluso nel periodo scelto.", "No completed month in the chosen period.";
    AccAtStart => "Previsione a inizio mese", "Forecast at month start";
    AccThreeBefore => "Previsione 3 mesi prima", "Forecast 3 months before";
    AccAccuracy => "Accuratezza", "Accuracy";
    AccLate => "in ritardo", "late";
    AccLateHint => "Congelata dopo il primo giorno del mese", "Frozen after the month's first day";
    AccPerSeller => "Per venditore", "Per seller";
    AccMean => "Accuratezza media", "Mean accuracy";
    AccMonths => "Mesi misurati", "Months measured";
    AccSlipped => "Chiusure slittate", "Slipped closes";
    AccSlippedNet => "Importo slittato", "Slipped amount";
    AttMonth => "Questo mese", "This month";
    AttQuarter => "Questo trimestre", "This quarter";
    AttYear => "Da inizio anno", "Year to date";
    AttTarget => "Obiettivo", "Target";
    AttWon => "Vinto", "Won";
    AttProjection => "Proiezione", "Projection";
    AttNone => "Nessun obiettivo impostato: i responsabili li impostano in Report › Obiettivi.", "No target set: managers set them in Reports › Targets.";
    AttNote => "Proiezione: vinto finora + trattative aperte ponderate con chiusura prevista entro la fine del periodo.", "Projection: won so far + weighted open deals expected to close by the end of the period.";
    RepGroupMonth => "Mese", "Month";
    RepGroupQuarter => "Trimestre", "Quarter";
    RepGroupYear => "Anno", "Year";
    RepSeller => "Venditore", "Seller";
    RepCategory => "Categoria", "Category";
    RepProduct => "Prodotto", "Product";
    RepWon => "Ricavi vinti", "Won revenue";
    RepWonCount => "Vendite vinte", "Sales won";
    RepPipeline => "Pipeline aperta", "Open pipeline";
    RepWeighted => "Previsione ponderata", "Weighted forecast";
    RepWinRate => "Tasso di vittoria", "Win rate";
    RepAverageWon => "Vendita media vinta", "Average won sale";
    RepWonYearEarlier => "Ricavi vinti anno prec.", "Won revenue a year earlier";
    RepYearEarlier => "un anno prima", "a year earlier";
    RepTotal => "Totale", "Total";
    RepAll => "Tutti", "All";
    RepPeriod => "Periodo", "Period";
    RepTag => "Tag contatto", "Contact tag";
    RepGrouping => "Raggruppa per", "Group by";
    RepStage => "Fase", "Stage";
    RepChartRevenue => "Ricavi vinti per periodo e venditore", "Won revenue by period and seller";
    RepChartForecast => "Previsione e consuntivo per mese", "Forecast against actual by month";
    RepActual => "Consuntivo (vinte)", "Actual (won)";
    RepPeriodThisMonth => "Questo mese", "This month";
    RepPeriodThisQuarter => "Questo trimestre", "This quarter";
    RepPeriodThisYear => "Quest'anno", "This year";
    RepPeriodLast12 => "Ultimi 12 mesi", "Last 12 months";
    RepPeriodRange => "Da… a…", "From… to…";
    RepFrom => "Da", "From";
    RepTo => "A", "To";
    RepDownload => "Scarica .xlsx", "Download .xlsx";
    RepDownloading => "Preparazione del file…", "Preparing the file…";
    RepDownloaded => "File scaricato", "File downloaded";
    RepNoData => "Nessuna vendita per questi filtri.", "No sales for these filters.";
    RepMineIntro => "Le vendite del tuo venditore e dei team di cui fai parte.", "The sales of your seller and of the teams you belong to.";
    RepSellersIntro => "Tutti i venditori a confronto.", "Every seller side by side.";
    RepForecastIntro => "La previsione ponderata (importo × probabilità, per mese di chiusura prevista) a confronto con le vendite vinte.", "The weighted forecast (amount × probability, by expected close month) against the sales won.";
    XlsSheetSales => "Vendite", "Sales";
    XlsSheetSummary => "Riepilogo", "Summary";
    XlsSheetFilters => "Filtri", "Filters";
    XlsSheetTargets => "Obiettivi", "Targets";
    XlsSheetAccuracy => "Previsioni", "Forecast accuracy";
    XlsAttained => "% raggiunto", "% attained";
    XlsSaleDate => "Data vendita", "Sale date";
    XlsExpectedClose => "Chiusura prevista", "Expected close";
    XlsClosedDate => "Data chiusura", "Closed on";
    XlsContact => "Cliente", "Contact";
    XlsProductCode => "Codice prodotto", "Product code";
    XlsStage => "Fase", "Stage";
    XlsProbability => "Probabilità", "Probability";
    XlsQuantity => "Quantità", "Quantity";
    XlsNet => "Imponibile", "Net amount";
    XlsGross => "Totale IVA inclusa", "Gross amount";
    XlsWeighted => "Importo ponderato", "Weighted amount";
    XlsUnitPrice => "Prezzo unitario", "Unit price";
    XlsDiscount => "Sconto", "Discount";
    XlsVatRate => "Aliquota IVA", "VAT rate";
    XlsLostReason => "Motivo perdita", "Lost reason";
    XlsNotes => "Note", "Notes";
    XlsCity => "Città", "City";
    XlsProvince => "Provincia", "Province";
    XlsRegisteredBy => "Registrata da", "Registered by";
    XlsWonCount => "Vendite vinte", "Sales won";
    XlsReport => "Report", "Report";
    XlsExportedBy => "Esportato da", "Exported by";
    XlsExportedAt => "Esportato il (UTC)", "Exported at (UTC)";
    XlsSalesCount => "Vendite esportate", "Sales exported";
    RepCountingNote => "Le vendite vinte e perse contano nel mese di chiusura, quelle aperte (pipeline e previsione) nel mese di chiusura prevista.",
                       "Won and lost sales count in the month they closed, open ones (pipeline and forecast) in their expected close month.";
    RepNoCategory => "(senza categoria)", "(no category)";
    ErrSellerHasSales => "Il venditore ha delle vendite: non si può eliminare, solo disattivare.", "The seller has sales: it cannot be deleted, only deactivated.";
    // ---------------------------------------------------------------- lost reasons
    StepLostReasons => "Motivi di perdita", "Lost reasons";
    LostReasonsIntro => "Perché le vendite si perdono: chi segna una vendita come persa sceglie uno di questi motivi e può aggiungere una nota. I report raggruppano e filtrano per motivo.",
                        "Why sales are lost: whoever marks a sale lost picks one of these reasons and may add a note. The reports group and filter by reason.";
    LostReasonsArchivedNote => "Un motivo archiviato non è più proposto, ma resta sulle vendite che lo citano.", "An archived reason is no longer offered but stays on the sales that name it.";
    LostReasonNew => "Nuovo motivo", "New reason";
    Add => "Aggiungi", "Add";
    LostReasonSales => "Vendite perse", "Lost sales";
    LostReasonArchive => "Archivia", "Archive";
    LostReasonRestore => "Ripristina", "Restore";
    LostReasonArchived => "archiviato", "archived";
    FieldLostNote => "Nota sulla perdita", "Note on the loss";
    LostPick => "— scegli un motivo —", "— pick a reason —";
    ProblemTooMany => "troppi elementi (al massimo 50)", "too many entries (at most 50)";
    ProblemTooManyLines => "troppe righe (al massimo 300)", "too many lines (at most 300)";
    ProblemBeforeOfferDate => "precede la data dell'offerta", "is before the offer's date";
    ErrLostReasonInUse => "{n} vendite citano questo motivo: non si può eliminare, solo archiviare.", "{n} sales name this reason: it cannot be deleted, only archived.";
    ErrLastLostReason => "Serve almeno un motivo di perdita attivo.", "At least one lost reason must stay active.";
    RepLostReason => "Motivo di perdita", "Lost reason";
    RepLostCount => "Vendite perse", "Sales lost";
    RepLostValue => "Valore perso", "Value lost";
    RepLostShare => "Quota delle perse", "Share of lost";
    RepLostYearEarlier => "Perse anno prec.", "Lost a year earlier";
    RepNoLostReason => "(senza motivo)", "(no reason)";
    XlsLostNote => "Nota perdita", "Note on the loss";
    // ---------------------------------------------------------------- import
    NavImport => "Importa", "Import";
    ImportTitle => "Importa dati", "Import data";
    ImportIntro => "Contatti, prodotti e vendite passate da un file CSV o da un foglio di calcolo (XLSX, XLS, ODS). Prima un controllo che non scrive nulla, poi l'importazione: tutto o niente, oppure solo le righe valide. Ogni importazione si può annullare finché le sue righe non sono state modificate.",
                    "Contacts, products and past sales from a CSV file or a spreadsheet (XLSX, XLS, ODS). First a check that writes nothing, then the import: everything or nothing, or only the valid rows. Each import can be undone while its rows are unchanged.";
    ImportLimits => "Al massimo 20 MB e 200.000 righe per file; CSV con ; o , (UTF-8 o Windows-1252); date gg/mm/aaaa o aaaa-mm-gg; numeri 1.234,56 o 1234.56. Una cella vuota lascia il valore che il contatto o il prodotto ha già.",
                     "At most 20 MB and 200,000 rows per file; CSV with ; or , (UTF-8 or Windows-1252); dates dd/mm/yyyy or yyyy-mm-dd; numbers 1.234,56 or 1234.56. An empty cell keeps the value the contact or product already has.";
    ImportContacts => "Contatti", "Contacts";
    ImportProducts => "Prodotti", "Products";
    ImportSales => "Vendite", "Sales";
    ImportKind => "Cosa importi", "What you import";
    ImportFile => "File", "File";
    ImportSheet => "Foglio", "Sheet";
    ImportCheck => "Controlla", "Check";
    ImportAll => "Importa tutto", "Import everything";
    ImportValidOnly => "Importa solo le righe valide", "Import the valid rows only";
    ImportAddSalesTag => "Aggiungi il tag di vendita ai contatti che non lo hanno", "Add the sales tag to contacts without it";
    ImportMapping => "Colonne", "Columns";
    ImportIgnored => "— ignorata —", "— ignored —";
    ImportPreview => "Anteprima (prime 20 righe)", "Preview (first 20 rows)";
    ImportRows => "Righe", "Rows";
    ImportCreates => "Nuovi", "New";
    ImportUpdates => "Aggiornati", "Updated";
    ImportUnchanged => "Invariati", "Unchanged";
    ImportBad => "Righe con errori", "Rows with errors";
    ImportLine => "Riga", "Line";
    ImportDryRunDone => "Controllo completato: nulla è stato scritto.", "Check done: nothing was written.";
    ImportNothingWritten => "Ci sono righe con errori: nulla è stato importato.", "Some rows have errors: nothing was imported.";
    ImportWritten => "Importazione completata.", "Import done.";
    ExportOfContacts => "Rubrica", "Address book";
    ExportOfProducts => "Prodotti", "Products";
    ExportOfSales => "Cartella vendite", "Sales workbook";
    ExportOfRejected => "Righe scartate di un'importazione", "An import's rejected rows";
    ExportLogTitle => "Esportazioni", "Exports";
    ExportLogIntro => "Ogni download della rubrica, dei prodotti, delle vendite e delle righe scartate: chi, quando, che cosa e quante righe.", "Every download of the address book, the products, the sales and rejected rows: who, when, what and how many rows.";
    ExportLogEmpty => "Nessuna esportazione.", "No exports.";
    ExportWhen => "Quando", "When";
    ExportWhat => "Che cosa", "What";
    ExportWho => "Chi", "Who";
    ExportRows => "Righe", "Rows";
    ImportBatches => "Importazioni precedenti", "Past imports";
    ImportNoBatches => "Nessuna importazione ancora.", "No imports yet.";
    ImportUndo => "Annulla importazione", "Undo import";
    ImportUndone => "annullata", "undone";
    ImportRejectedDownload => "Scarica le righe scartate (.xlsx)", "Download the rejected rows (.xlsx)";
    ImportUploading => "Caricamento…", "Uploading…";
    ImportContactVat => "Partita IVA del contatto", "Contact's VAT number";
    ImportContactEmail => "E-mail del contatto", "Contact's e-mail";
    ImportContactName => "Nome del contatto", "Contact's name";
    ImportProductCode => "Codice prodotto", "Product code";
    ImportError => "Errore", "Error";
    ImportEmpty => "Il file è vuoto.", "The file is empty.";
    ImportOnlyHeaders => "Il file ha solo l'intestazione, nessuna riga da importare.", "The file has only its header row, nothing to import.";
    ImportTooLarge => "Il file supera i 20 MB.", "The file is larger than 20 MB.";
    ImportTooManyRows => "Il file supera le 200.000 righe.", "The file has more than 200,000 rows.";
    ImportTooManyColumns => "Il file ha più di 200 colonne.", "The file has more than 200 columns.";
    ImportCellTooLong => "Una riga o una cella è troppo lunga (al massimo 10.000 caratteri per cella).", "A line or a cell is too long (at most 10,000 characters per cell).";
    ImportUnreadable => "Il file non è un CSV né un foglio di calcolo leggibile (XLSX, XLS, ODS).", "The file is neither a CSV nor a readable spreadsheet (XLSX, XLS, ODS).";
    ImportTooBigToOpen => "Il file, una volta aperto, è troppo grande (più di 200 colonne, 200.000 righe o 4 milioni di celle, o un archivio che si espande oltre misura): dividilo o salvalo di nuovo come CSV.", "Once opened, the file is too large (over 200 columns, 200,000 rows or 4 million cells, or an archive that expands beyond measure): split it or save it again as CSV.";
    ImportNoSuchSheet => "Il foglio indicato non esiste nel file.", "The file has no sheet by that name.";
    ImportNoColumns => "Nessuna colonna riconosciuta: scegli il campo di almeno una colonna.", "No column recognised: pick the field of at least one column.";
    ImportUndoBlocked => "L'importazione non si può annullare: queste righe sono cambiate da allora: {names}.", "The import cannot be undone: these rows changed since: {names}.";
    ImportBusy => "Un'altra importazione è in corso: riprova tra poco.", "Another import is running: try again shortly.";
    ImportRunning => "Questa importazione è ancora in corso: si potrà annullare quando è finita.", "This import is still being written: it can be undone once it has finished.";
    ImportInterrupted => "interrotta", "interrupted";
    ImportInProgress => "in corso", "in progress";
    HistoryImported => "importata", "imported";
    HistoryImportBatch => "importazione n. {n} ({file})", "import no. {n} ({file})";
    ImportLongDescription => "Descrizione estesa", "Long description";
    ImportId => "ID Vendita", "Vendita ID";
    ImportFieldColumn => "Campo", "Field";
    ImportBy => "Importato da", "Imported by";
    ExportXlsx => "Esporta .xlsx (per modificare e reimportare)", "Export .xlsx (to edit and import again)";
    // ---------------------------------------------------------------- commissions
    NavCommissions => "Provvigioni", "Commissions";
    EarnOnClose => "alla chiusura", "on closing";
    EarnOnCollection => "su incassato", "on collection";
    ComRate => "Percentuale", "Rate";
    ComPerUnit => "Importo per unità", "Amount per unit";
    ComPerUnitSuffix => "per unità", "per unit";
    ComValidFrom => "Valida dal", "Valid from";
    ComPeriod => "Periodo", "Period";
    ComQuarter => "Trimestre", "Quarter";
    ColAmount => "Importo incassato", "Amount collected";
    ColDate => "Data incasso", "Collected on";
    ErrPeriodSettled => "Il periodo è già liquidato: ciò che è liquidato non cambia (le differenze vanno nel prossimo estratto conto).", "The period is already settled: what is settled does not change (differences go to the next statement).";
    ErrSaleNotWon => "Gli incassi si registrano solo sulle vendite vinte.", "Collections are recorded on won sales only.";
    ComScopeCustomerProduct => "Cliente e prodotto", "Customer and product";
    ComScopeProduct => "Prodotto", "Product";
    ComScopeCustomer => "Cliente", "Customer";
    ComScopeCategory => "Categoria", "Category";
    ComScopeDefault => "Predefinita del venditore", "Seller's default";
    ComShow => "Mostra", "Show";
    ComRules => "Regole provvigionali", "Commission rules";
    ComIntro => "Per ogni venditore: le provvigioni maturate nel periodo e quanto resta da liquidare fino alla sua fine (rettifiche comprese).", "For each seller: the commissions earned in the period and what is left to settle up to its end (adjustments included).";
    ComEarnOn => "Matura", "Earned";
    ComEarned => "Maturate nel periodo", "Earned in the period";
    ComToSettle => "Da liquidare", "To settle";
    ComSettledThrough => "Liquidato fino al", "Settled through";
    ComNothing => "Niente da liquidare fino alla fine del periodo.", "Nothing to settle up to the end of the period.";
    ComDate => "Data", "Date";
    ComBase => "Imponibile", "Base";
    ComRule => "Regola applicata", "Rule applied";
    ComCommission => "Provvigione", "Commission";
    ComStorno => "Storno", "Reversal";
    ComIntegration => "Integrazione", "Integration";
    ComOfSettled => "di quanto liquidato nell'estratto", "of what was settled in statement";
    ComNoRule => "nessuna regola: aggiungine una", "no rule: add one";
    ComEarnedTotal => "Maturato", "Earned";
    ComAdjustments => "Rettifiche", "Adjustments";
    ComTotal => "Totale da liquidare", "Total to settle";
    ComFrom => "dal", "from";
    ComThrough => "fino al", "through";
    ComStatement => "Estratto conto provvigioni", "Commission statement";
    ComSettleHint => "Liquidando, l'estratto conto resta per sempre com'è ora; le modifiche successive alle vendite finiscono come rettifiche nel prossimo.", "Once settled, the statement stays exactly as it is now; later changes to its sales become adjustments in the next one.";
    ComSettle => "Liquida", "Settle";
    ComSettledList => "Estratti conto liquidati", "Settled statements";
    ComNoneSettled => "Nessun estratto conto liquidato.", "No statement settled yet.";
    ComSettledBy => "Liquidato da", "Settled by";
    ComRulesIntro => "Per ogni venditore: quando matura la provvigione (alla chiusura della vendita o su incassato) e le regole, ciascuna valida da una data. Si applica la più specifica: cliente e prodotto, prodotto, cliente, categoria (la più profonda), poi la predefinita del venditore. Una regola non può cominciare in un periodo già liquidato.", "For each seller: when commissions are earned (when the sale closes or on collection) and the rules, each valid from a date. The most specific applies: customer and product, product, customer, category (the deepest), then the seller's default. A rule cannot start within a period already settled.";
    ComPlans => "Maturazione per venditore", "When each seller earns";
    ComRuleList => "Regole", "Rules";
    ComNoRules => "Nessuna regola: le vendite non maturano provvigioni.", "No rules: sales earn no commission.";
    ComAppliesTo => "Si applica a", "Applies to";
    ComValue => "Valore", "Value";
    ComNewRule => "Nuova regola", "New rule";
    ComCustomerName => "Cliente (nome, facoltativo)", "Customer (name, optional)";
    ComKind => "Tipo", "Kind";
    ColTitle => "Incassi della vendita", "The sale's collections";
    ColCollected => "Incassato", "Collected";
    ColLeft => "Da incassare", "Left to collect";
    ColNone => "Nessun incasso registrato.", "No collection recorded.";
    ColBy => "Registrato da", "Recorded by";
    ColNew => "Nuovo incasso", "New collection";
    ColAdd => "Registra incasso", "Record collection";
    ColLink => "Incassi", "Collections";
    ComPdf => "Scarica PDF", "Download PDF";
    HomeCommissions => "Provvigioni del mese", "This month's commissions";
    AgentNone => "non è un agente", "not an agent";
    AgentMono => "agente monomandatario", "single-firm agent";
    AgentPluri => "agente plurimandatario", "multi-firm agent";
    ComAgent => "Agente (Enasarco)", "Agent (Enasarco)";
    ComFirr => "FIRR", "FIRR";
    ComFirrAccrued => "accantona il FIRR", "accrues FIRR";
    ComEnasarco => "Stima Enasarco e FIRR", "Enasarco and FIRR estimate";
    ComEnasarcoNote => "Stima ai valori dell'anno {year}: aliquota {rate} sulle provvigioni fino al massimale annuo di {ceiling}; provvigioni dell'anno già liquidate: {before}. Il minimale contributivo annuo ({minimum}) si regola a fine anno.", "Estimate at the values of {year}: {rate} on commissions up to the yearly ceiling of {ceiling}; the year's commissions settled before: {before}. The yearly minimum contribution ({minimum}) is settled at the year's end.";
    ComContributing => "Provvigioni soggette a contributo", "Commissions subject to contribution";
    ComCompanyShare => "Contributo a carico della ditta", "Contribution paid by the company";
    ComAgentShare => "Contributo a carico dell'agente", "Contribution paid by the agent";
    ComFirrAccrual => "FIRR da accantonare", "FIRR to accrue";
    ComYears => "Enasarco e FIRR per anno", "Enasarco and FIRR per year";
    ComYearsIntro => "I valori pubblicati dalla Fondazione Enasarco per ogni anno: aliquota e quota della ditta, massimali provvigionali e minimali contributivi (mono e plurimandatari), scaglioni del FIRR. Un anno nuovo si aggiunge con i suoi valori; un anno senza valori usa quelli dell'anno prima.", "The values the Fondazione Enasarco publishes for each year: rate and the company's share, commission ceilings and minimum contributions (single- and multi-firm agents), FIRR brackets. A new year is added with its values; a year without values uses the year before's.";
    ComYear => "Anno", "Year";
    ComRateTotal => "Aliquota", "Rate";
    ComRateCompany => "di cui ditta", "of which the company";
    ComCeilingMono => "Massimale mono", "Ceiling (single-firm)";
    ComCeilingPluri => "Massimale pluri", "Ceiling (multi-firm)";
    ComMinimumMono => "Minimale mono", "Minimum (single-firm)";
    ComMinimumPluri => "Minimale pluri", "Minimum (multi-firm)";
    ComFirrRates => "FIRR: aliquote per scaglione", "FIRR: rates per bracket";
    ComFirrMono => "FIRR mono: scaglioni fino a", "FIRR single-firm: brackets up to";
    ComFirrPluri => "FIRR pluri: scaglioni fino a", "FIRR multi-firm: brackets up to";
    ComSaveYear => "Salva anno", "Save year";
}
