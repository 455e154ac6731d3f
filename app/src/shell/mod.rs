//! The single-page shell: the HTML document, the router (it imports every page, and no page
//! imports it), the top bar with its navigation and profile menu.

mod preload;

use crate::account::{ChangePasswordPage, FirstRunPage, LanguageSwitch, LoginPage};
use crate::auth::{CurrentUser, Logout, Role, Viewer, get_viewer, reload_to};
use crate::catalog::pages::{CategoriesPage, ProductsPage};
use crate::commissions::pages::{CollectionsPage, CommissionSetupPage, CommissionsPage, SettledStatementPage, StatementPage};
use crate::config::company::CompanyPage;
use crate::config::lost_reasons::LostReasonsPage;
use crate::config::pages::{ConfigOverviewPage, SalesTagPage, StagesPage};
use crate::contacts::pages::{CardTab, ContactCardPage, ContactsPage, NewContactPage};
use crate::contacts::tags::TagsPage;
use crate::desk::board::BoardPage;
use crate::desk::pages::{HomePage, SalesListPage};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::import::page::ImportPage;
use crate::offers::pages::{NewOfferPage, OfferPage, OffersListPage};
use crate::reports::{ForecastPage, MySalesPage, SellersReportPage};
use crate::sellers::pages::SellersPage;
use crate::targets::TargetsPage;
use crate::ui::{Erase, refused, use_lang, use_user};
use crate::users::UsersPage;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
#[cfg(any(feature = "ssr", wasm_split))]
use leptos_router::lazy_route;
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<crate::state::CspNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // The browser hydrates with the viewer the server drew the page for (see `page_viewer`).
    #[cfg(feature = "ssr")]
    let viewer_json = page_viewer().and_then(|v| serde_json::to_string(&v).ok());
    #[cfg(not(feature = "ssr"))]
    let viewer_json: Option<String> = None;
    let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
    let preloads = preload::chunk_preloads(&options, &path);
    view! {
        <!DOCTYPE html>
        <html lang="it">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                {preloads}
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <MetaTags />
            </head>
            <body data-viewer=viewer_json>
                <App />
            </body>
        </html>
    }
}

/// Who may open a page.
#[derive(Clone, Copy)]
enum Access {
    /// Signed out only (the login page): a signed-in user goes home.
    Anonymous,
    /// Only while no user exists (the first-run page).
    Setup,
    /// Signed in, with a role the predicate allows.
    SignedIn(fn(Role) -> bool),
    /// Anybody, no redirect: the not-found page (a redirect needs a matched route, which it lacks).
    Any,
}

fn anyone(_: Role) -> bool {
    true
}

fn managers(role: Role) -> bool {
    role.is_manager()
}

fn admin_only(role: Role) -> bool {
    role == Role::Admin
}

/// The pages the browser loads only when one of them is first opened, in groups: the daily work
/// (home, the sales list, the board, the address book, tags), the contact card (its data, its
/// Vendita tab, a new contact), the reports, and the settings (configuration, users, password,
/// the first run). Each group is one chunk of the WASM when
/// cargo-leptos builds it with `--split` (`cfg(wasm_split)`, see app/build.rs): a page fetches the
/// main file, its group's chunk and the few chunks of code its group shares with another, not one
/// chunk per function.
/// A WASM built without `--split` cannot load a chunk (wasm-split has not resolved the imports
/// `#[lazy_route]` leaves), so there the group draws its page straight away; the server always
/// uses the lazy form, which renders the same HTML. The page's head names its group's chunks for
/// the browser to fetch beside the main file (`preload.rs`, whose `group_of` follows the routes in
/// `App`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkPage {
    Home,
    Sales,
    Board,
    Contacts,
    Tags,
    Collections,
}

/// The contact card: its data, its Vendita tab, and the new contact's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CardPage {
    NewContact,
    ContactData,
    ContactSales,
    NewOffer,
    Offer,
    Offers,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReportPage {
    Mine,
    Sellers,
    Forecast,
    Targets,
    Commissions,
    Statement,
    Settled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SettingsPage {
    ChangePassword,
    Users,
    Overview,
    SalesTag,
    Sellers,
    Categories,
    Products,
    LostReasons,
    Stages,
    Import,
    Company,
    Commissions,
    /// The first-run page, opened once in a server's life.
    FirstRun,
}

impl WorkPage {
    fn of(path: &str) -> WorkPage {
        match path.trim_end_matches('/') {
            "/sales" => WorkPage::Sales,
            "/sales/board" => WorkPage::Board,
            "/contacts" => WorkPage::Contacts,
            "/contacts/tags" => WorkPage::Tags,
            p if p.starts_with("/sales/") && p.ends_with("/collections") => WorkPage::Collections,
            _ => WorkPage::Home,
        }
    }

    fn view(self) -> AnyView {
        let access = if self == WorkPage::Tags { Access::SignedIn(managers) } else { Access::SignedIn(anyone) };
        view! {
            <TopBar />
            <Page access=access>
                {match self {
                    WorkPage::Home => view! { <HomePage /> }.erase(),
                    WorkPage::Sales => view! { <SalesListPage /> }.erase(),
                    WorkPage::Board => view! { <BoardPage /> }.erase(),
                    WorkPage::Contacts => view! { <ContactsPage /> }.erase(),
                    WorkPage::Tags => view! { <TagsPage /> }.erase(),
                    WorkPage::Collections => view! { <CollectionsPage /> }.erase(),
                }}
            </Page>
        }
        .erase()
    }
}

impl CardPage {
    fn of(path: &str) -> CardPage {
        match path.trim_end_matches('/') {
            "/contacts/new" => CardPage::NewContact,
            p if p.ends_with("/vendita") => CardPage::ContactSales,
            "/offers" => CardPage::Offers,
            p if p.ends_with("/offers/new") => CardPage::NewOffer,
            p if p.starts_with("/offers/") => CardPage::Offer,
            _ => CardPage::ContactData,
        }
    }

    fn view(self) -> AnyView {
        view! {
            <TopBar />
            <Page access=Access::SignedIn(anyone)>
                {match self {
                    CardPage::NewContact => view! { <NewContactPage /> }.erase(),
                    CardPage::ContactData => view! { <ContactCardPage tab=CardTab::Data /> }.erase(),
                    CardPage::ContactSales => view! { <ContactCardPage tab=CardTab::Sales /> }.erase(),
                    CardPage::NewOffer => view! { <NewOfferPage /> }.erase(),
                    CardPage::Offer => view! { <OfferPage /> }.erase(),
                    CardPage::Offers => view! { <OffersListPage /> }.erase(),
                }}
            </Page>
        }
        .erase()
    }
}

impl ReportPage {
    fn of(path: &str) -> ReportPage {
        match path.trim_end_matches('/') {
            "/reports/sellers" => ReportPage::Sellers,
            "/reports/forecast" => ReportPage::Forecast,
            "/reports/targets" => ReportPage::Targets,
            "/commissions" => ReportPage::Commissions,
            p if p.starts_with("/commissions/statements/") => ReportPage::Settled,
            p if p.starts_with("/commissions/") => ReportPage::Statement,
            _ => ReportPage::Mine,
        }
    }

    fn view(self) -> AnyView {
        // A member reads his own sellers' targets there.
        // A member reads his own statements too.
        let access = if matches!(self, ReportPage::Sellers | ReportPage::Forecast) { Access::SignedIn(managers) } else { Access::SignedIn(anyone) };
        view! {
            <TopBar />
            <Page access=access>
                {match self {
                    ReportPage::Mine => view! { <MySalesPage /> }.erase(),
                    ReportPage::Sellers => view! { <SellersReportPage /> }.erase(),
                    ReportPage::Forecast => view! { <ForecastPage /> }.erase(),
                    ReportPage::Targets => view! { <TargetsPage /> }.erase(),
                    ReportPage::Commissions => view! { <CommissionsPage /> }.erase(),
                    ReportPage::Statement => view! { <StatementPage /> }.erase(),
                    ReportPage::Settled => view! { <SettledStatementPage /> }.erase(),
                }}
            </Page>
        }
        .erase()
    }
}

impl SettingsPage {
    fn of(path: &str) -> SettingsPage {
        match path.trim_end_matches('/') {
            "/profile/password" => SettingsPage::ChangePassword,
            "/users" => SettingsPage::Users,
            "/config/crm/tag" => SettingsPage::SalesTag,
            "/config/crm/sellers" => SettingsPage::Sellers,
            "/config/crm/categories" => SettingsPage::Categories,
            "/config/crm/products" => SettingsPage::Products,
            "/config/crm/lost-reasons" => SettingsPage::LostReasons,
            "/import" => SettingsPage::Import,
            "/config/crm/stages" => SettingsPage::Stages,
            "/config/crm/company" => SettingsPage::Company,
            "/config/crm/commissions" => SettingsPage::Commissions,
            "/setup" => SettingsPage::FirstRun,
            _ => SettingsPage::Overview,
        }
    }

    fn view(self) -> AnyView {
        if self == SettingsPage::FirstRun {
            return view! {
                <BrandBar />
                <Page access=Access::Setup>
                    <FirstRunPage />
                </Page>
            }
            .erase();
        }
        let access = match self {
            SettingsPage::Users => Access::SignedIn(admin_only),
            SettingsPage::Import | SettingsPage::Commissions => Access::SignedIn(managers),
            _ => Access::SignedIn(anyone),
        };
        view! {
            <TopBar />
            <Page access=access>
                {match self {
                    SettingsPage::ChangePassword => view! { <ChangePasswordPage /> }.erase(),
                    SettingsPage::Users => view! { <UsersPage /> }.erase(),
                    SettingsPage::Overview => view! { <ConfigOverviewPage /> }.erase(),
                    SettingsPage::SalesTag => view! { <SalesTagPage /> }.erase(),
                    SettingsPage::Sellers => view! { <SellersPage /> }.erase(),
                    SettingsPage::Categories => view! { <CategoriesPage /> }.erase(),
                    SettingsPage::Products => view! { <ProductsPage /> }.erase(),
                    SettingsPage::LostReasons => view! { <LostReasonsPage /> }.erase(),
                    SettingsPage::Import => view! { <ImportPage /> }.erase(),
                    SettingsPage::Stages => view! { <StagesPage /> }.erase(),
                    SettingsPage::Company => view! { <CompanyPage /> }.erase(),
                    SettingsPage::Commissions => view! { <CommissionSetupPage /> }.erase(),
                    // Drawn above, without the top bar.
                    SettingsPage::FirstRun => ().erase(),
                }}
            </Page>
        }
        .erase()
    }
}

/// Declares the route type of a group: one lazy route serves each of the group's paths, and its
/// data says which page of the group the path asks for.
macro_rules! lazy_group {
    ($route:ident, $page:ident) => {
        struct $route($page);

        #[cfg(any(feature = "ssr", wasm_split))]
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route($page::of(&leptos_router::hooks::use_location().pathname.get_untracked()))
            }

            fn view(route: Self) -> AnyView {
                route.0.view()
            }
        }

        #[cfg(not(any(feature = "ssr", wasm_split)))]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route($page::of(&leptos_router::hooks::use_location().pathname.get_untracked()))
            }

            async fn view(route: Self) -> AnyView {
                route.0.view()
            }
        }
    };
}

// The sign-in page stays in the main WASM: it is the first page a visitor opens.
lazy_group!(WorkRoute, WorkPage);
lazy_group!(CardRoute, CardPage);
lazy_group!(ReportRoute, ReportPage);
lazy_group!(SettingsRoute, SettingsPage);

/// Who is looking, when it is known before the page is drawn: on the server, worked out by the
/// page routes' middleware (`auth::ssr::PageViewer`); in the browser, read from the page the
/// server wrote (`data-viewer` on the body). Signing in or out and changing language reload the
/// whole page, so it holds while the browser moves from page to page.
fn page_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<crate::auth::ssr::PageViewer>().map(|v| v.0.clone()));
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return document().body()?.get_attribute("data-viewer").and_then(|json| serde_json::from_str(&json).ok());
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    None
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    if let Some(viewer) = page_viewer() {
        provide_context(viewer);
    }
    view! {
        <Title text="Vendita" />
        <Router>
            // A path's group is named again by `preload::group_of`, for the page's head.
            <Routes fallback=|| view! { <BrandBar /><Page access=Access::Any><NotFound /></Page> }>
                <Route path=path!("/") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sales") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sales/board") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sales/:id/collections") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/login") view=|| view! { <BrandBar /><Page access=Access::Anonymous><LoginPage /></Page> } ssr=SsrMode::Async />
                <Route path=path!("/setup") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/profile/password") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/users") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                // CRM configuration: everybody reads, managers write (decided again on the server).
                <Route path=path!("/config/crm") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/tag") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/sellers") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/categories") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/products") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/lost-reasons") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/import") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/stages") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/company") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/config/crm/commissions") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                // The address book, the contact card and its Vendita tab.
                <Route path=path!("/contacts") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/contacts/new") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/contacts/tags") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/contacts/:id") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/contacts/:id/vendita") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/contacts/:id/offers/new") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/offers") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/offers/:id") view={Lazy::<CardRoute>::new()} ssr=SsrMode::Async />
                // Reports: everyone sees his own; managers see every seller (decided again on the server).
                <Route path=path!("/reports/mine") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/reports/sellers") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/reports/forecast") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/reports/targets") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/commissions") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/commissions/:seller") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/commissions/statements/:id") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Every page: checks access, then draws the top bar and the page. The viewer is usually known
/// before the page is drawn (see `page_viewer`): then the page is drawn straight away, once. A
/// page drawn inside a `Suspense` would be created again at each of its passes on the server,
/// with all its resources and their queries. Otherwise (the not-found page, which has no route
/// and so no middleware) it waits for the viewer, rendered on the server before the response
/// starts, so a redirect is a real 302.
#[component]
fn Page(access: Access, children: ChildrenFn) -> impl IntoView {
    if let Some(viewer) = use_context::<Viewer>() {
        check_session_on_navigation(&viewer);
        return page_body(access, &viewer, &children);
    }
    let viewer = Resource::new(|| (), |_| get_viewer());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = viewer.await.unwrap_or(Viewer { user: None, lang: Lang::It, needs_setup: false });
                provide_context(viewer.clone());
                children.with_value(|children| page_body(access, &viewer, children))
            })}
        </Suspense>
    }
    .erase()
}

fn page_body(access: Access, viewer: &Viewer, children: &ChildrenFn) -> AnyView {
    let body = match (access, &viewer.user) {
        (Access::Any, _) => children().erase(),
        (Access::Setup, _) if viewer.needs_setup => children().erase(),
        (_, _) if viewer.needs_setup => view! { <Redirect path="/setup" /> }.erase(),
        (Access::Setup, _) => view! { <Redirect path="/login" /> }.erase(),
        (Access::Anonymous, None) => children().erase(),
        (Access::Anonymous, Some(_)) => view! { <Redirect path="/" /> }.erase(),
        (Access::SignedIn(_), None) => view! { <Redirect path="/login" /> }.erase(),
        (Access::SignedIn(allow), Some(user)) if !allow(user.role) => {
            #[cfg(feature = "ssr")]
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(http::StatusCode::FORBIDDEN);
            }
            refused(&AppError::Forbidden, user.lang)
        }
        (Access::SignedIn(_), Some(_)) => children().erase(),
    };
    view! { <main>{body}</main> }.erase()
}

/// The viewer read from the page holds while the browser moves from page to page; a session that
/// has expired meanwhile (idle timeout, signed out elsewhere) sends the user to sign in again.
fn check_session_on_navigation(viewer: &Viewer) {
    #[cfg(feature = "hydrate")]
    {
        // The first page is the one the server just drew for this session.
        let navigated = document().body().is_some_and(|b| b.has_attribute("data-hydrated"));
        if navigated && viewer.user.is_some() {
            leptos::task::spawn_local(async {
                if let Ok(Viewer { user: None, .. }) = get_viewer().await {
                    reload_to("/login");
                }
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = viewer;
}

/// A navigation link marked as current when its page is open. A plain `<a>` (the router still
/// handles the click): `<A>` needs a matched route, which the not-found page does not have.
#[component]
fn NavLink(href: &'static str, children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let current = move || {
        let path = location.pathname.get();
        (path == href || (href != "/" && path.starts_with(&format!("{href}/")))).then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}

/// The bar of the pages drawn before signing in (and of the not-found page): the name alone.
#[component]
fn BrandBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <a href="/" class="brand">{Msg::AppName.text(use_lang())}</a>
        </header>
    }
}

/// The bar of the signed-in pages: navigation and profile menu. Drawn by the lazy groups' pages
/// only, so its code travels in their chunks, not in the main WASM the sign-in page loads.
#[component]
fn TopBar() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    // On a phone the navigation folds behind a menu button; a page change folds it again.
    let open = RwSignal::new(false);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <header class="topbar" class:nav-open=move || open.get()>
            <a href="/" class="brand">{Msg::AppName.text(lang)}</a>
            {user.map(|user| {
                let is_admin = user.role == Role::Admin;
                let sees_all = user.role.is_manager();
                view! {
                    <button type="button" class="nav-toggle" id="nav-toggle" aria-controls="main-nav"
                        aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                        {Msg::NavMenu.text(lang)}
                    </button>
                    <nav class="main-nav" id="main-nav">
                        <NavLink href="/">{Msg::NavHome.text(lang)}</NavLink>
                        <NavLink href="/sales">{Msg::NavSales.text(lang)}</NavLink>
                        <NavLink href="/offers">{Msg::OffersTitle.text(lang)}</NavLink>
                        <NavLink href="/contacts">{Msg::NavContacts.text(lang)}</NavLink>
                        <Show when=move || is_admin>
                            <NavLink href="/users">{Msg::NavUsers.text(lang)}</NavLink>
                        </Show>
                        <NavLink href="/reports/mine">{Msg::RepMine.text(lang)}</NavLink>
                        <Show when=move || sees_all>
                            <NavLink href="/reports/sellers">{Msg::RepSellers.text(lang)}</NavLink>
                            <NavLink href="/reports/forecast">{Msg::RepForecast.text(lang)}</NavLink>
                        </Show>
                        <NavLink href="/reports/targets">{Msg::RepTargets.text(lang)}</NavLink>
                        <NavLink href="/commissions">{Msg::NavCommissions.text(lang)}</NavLink>
                        <NavLink href="/config/crm">{Msg::NavConfig.text(lang)}</NavLink>
                    </nav>
                    <ProfileMenu user=user />
                }
            })}
        </header>
    }
}

#[component]
fn ProfileMenu(user: CurrentUser) -> impl IntoView {
    let lang = use_lang();
    let logout = ServerAction::<Logout>::new();
    let is_manager = user.role.is_manager();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            reload_to("/login");
        }
    });
    view! {
        <details class="profile-menu">
            <summary id="profile-menu">{user.display_name.clone()}" · "{user.role.label().text(lang)}</summary>
            <div class="menu">
                <LanguageSwitch />
                <Show when=move || is_manager>
                    <a href="/config/crm" id="menu-config">{Msg::ProfileMenuConfig.text(lang)}</a>
                    <a href="/import" id="menu-import">{Msg::NavImport.text(lang)}</a>
                </Show>
                <a href="/profile/password">{Msg::ChangePassword.text(lang)}</a>
                <ActionForm action=logout attr:class="inline">{view! {
                    <button type="submit" id="logout">{Msg::Logout.text(lang)}</button>
                }.erase()}</ActionForm>
            </div>
        </details>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <p class="notice error">{Msg::NotFoundPage.text(use_lang())}</p> }
}
