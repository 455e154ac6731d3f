//! The authorization matrix, generated: every registered server function and every page route ×
//! anonymous / member / other member / manager / admin, each cell asserting allowed or refused.
//! The rows are checked against what the server registers, so a new endpoint or page without a
//! row fails this test until somebody decides who may call it.
//!
//! "Member" is Marco: the sale used below is his. "Other member" is Sara, a member with a seller of
//! her own, who must not reach Marco's sale. Writes use a stale version where they can, so an
//! allowed call answers 409 and changes nothing, while a refused one answers 401/403.

mod common;

use app::state::Config;
use common::*;
use leptos::server_fn::axum::server_fn_paths;
use reqwest::{Client, StatusCode};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Member,
    OtherMember,
    Manager,
    Admin,
}

const EVERYONE: [Who; 5] = [Who::Anonymous, Who::Member, Who::OtherMember, Who::Manager, Who::Admin];

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anybody, signed in or not.
    Public,
    /// Nobody once the first administrator exists (409 for everyone).
    SetupOnly,
    /// Any signed-in user.
    SignedIn,
    /// Managers and admins; members get 403.
    Managers,
    /// Admins only.
    AdminOnly,
    /// Marco's own sale or offer: Marco, managers and admins; Sara (another member) gets 403.
    OwnSale,
}

/// Who may open a page (GET, as a browser asks).
#[derive(Clone, Copy, Debug)]
enum PageRule {
    /// No session needed (`/healthz`).
    Public,
    /// Signed-out only: a signed-in user is sent home.
    SignedOutOnly,
    /// Only before the first administrator exists: everyone is sent to the login page afterwards.
    SetupOnly,
    SignedIn,
    Managers,
    AdminOnly,
    /// A download of something that does not exist: as `Download`, but 404 where allowed.
    DownloadMissing,
    /// Only writes answer (GET is 405 for everyone); who may write is tested beside the route
    /// (tests/import_http.rs, tests/offers_http.rs).
    PostOnly,
    /// Marco's offer: Marco, managers and admins; Sara (another member) gets 403.
    OwnOffer,
    /// A customer's link that opens nothing: 404 for everyone, signed in or not.
    NoLink,
    /// Something signed-in users may read that does not exist: 401 signed out, 404 otherwise.
    SignedInMissing,
    /// Marco's offer's PDF: 401 signed out, 403 for Sara, 200 otherwise.
    OfferPdf,
    /// A download: 401 signed out, 403 for a role that may not have it, 200 otherwise.
    Download {
        managers_only: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    /// Server function: passed authorization (200, or a domain answer such as 409/422/404), never 5xx.
    Allowed,
    /// This exact status (a refusal, or a page served with 200).
    Status(u16),
    /// A 302/303 to this location.
    Redirect(&'static str),
}

fn expect_call(rule: Rule, who: Who) -> Expect {
    use Who::*;
    match (rule, who) {
        (Rule::Public, _) => Expect::Allowed,
        (Rule::SetupOnly, _) => Expect::Status(409),
        (_, Anonymous) => Expect::Status(401),
        (Rule::SignedIn, _) => Expect::Allowed,
        (Rule::Managers, Member | OtherMember) => Expect::Status(403),
        (Rule::Managers, _) => Expect::Allowed,
        (Rule::AdminOnly, Admin) => Expect::Allowed,
        (Rule::AdminOnly, _) => Expect::Status(403),
        (Rule::OwnSale, OtherMember) => Expect::Status(403),
        (Rule::OwnSale, _) => Expect::Allowed,
    }
}

fn expect_page(rule: PageRule, who: Who) -> Expect {
    use Who::*;
    match (rule, who) {
        (PageRule::Public, _) => Expect::Status(200),
        (PageRule::SignedOutOnly, Anonymous) => Expect::Status(200),
        (PageRule::SignedOutOnly, _) => Expect::Redirect("/"),
        (PageRule::SetupOnly, _) => Expect::Redirect("/login"),
        (PageRule::Download { .. }, Anonymous) => Expect::Status(401),
        (PageRule::Download { managers_only: true }, Member | OtherMember) => Expect::Status(403),
        (PageRule::Download { .. }, _) => Expect::Status(200),
        (PageRule::DownloadMissing, Anonymous) => Expect::Status(401),
        (PageRule::DownloadMissing, Member | OtherMember) => Expect::Status(403),
        (PageRule::DownloadMissing, _) => Expect::Status(404),
        (PageRule::PostOnly, _) => Expect::Status(405),
        (PageRule::NoLink, _) => Expect::Status(404),
        (PageRule::SignedInMissing, Anonymous) => Expect::Status(401),
        (PageRule::SignedInMissing, _) => Expect::Status(404),
        (PageRule::OfferPdf, Anonymous) => Expect::Status(401),
        (PageRule::OfferPdf, OtherMember) => Expect::Status(403),
        (PageRule::OfferPdf, _) => Expect::Status(200),
        (_, Anonymous) => Expect::Redirect("/login"),
        (PageRule::SignedIn, _) => Expect::Status(200),
        (PageRule::Managers, Member | OtherMember) => Expect::Status(403),
        (PageRule::Managers, _) => Expect::Status(200),
        (PageRule::AdminOnly, Admin) => Expect::Status(200),
        (PageRule::AdminOnly, _) => Expect::Status(403),
        (PageRule::OwnOffer, OtherMember) => Expect::Status(403),
        (PageRule::OwnOffer, _) => Expect::Status(200),
    }
}

fn allowed_status(status: StatusCode) -> bool {
    !matches!(status.as_u16(), 401 | 403) && !status.is_server_error()
}

struct World {
    app: TestApp,
    clients: Vec<(Who, Client)>,
    /// Login and password of each role, for rows that need a session of their own (logout).
    logins: Vec<(Who, &'static str, String)>,
    contact: String,
    plain_contact: String,
    sale: String,
    /// Marco's draft offer on the contact.
    offer: String,
    marco_seller: String,
    product: String,
    category: String,
    spare_user: String,
}

async fn world() -> World {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let manager = app.signed_in(&admin, "giulia", "manager").await;
    let marco = app.signed_in(&admin, "marco", "member").await;
    let sara = app.signed_in(&admin, "sara", "member").await;
    let spare =
        ok(&app, &admin, "users_create", &[("login", "zeta"), ("display_name", "Zeta"), ("password", "zeta-password-1"), ("role", "member")]).await;
    let overview = ok(&app, &admin, "config_overview", &[]).await;
    ok(&app, &admin, "config_set_sales_tag", &[("version", &s(&overview["settings"]["version"])), ("tag", "customers")]).await;
    let candidates = ok(&app, &admin, "config_seller_candidates", &[]).await;
    let user_id = |login: &str| s(&candidates.as_array().unwrap().iter().find(|c| c["user"]["login"] == login).unwrap()["user"]["id"]);
    let marco_seller = s(&ok(&app, &admin, "config_create_seller", &[("kind", "user"), ("user", &user_id("marco"))]).await["id"]);
    ok(&app, &admin, "config_create_seller", &[("kind", "user"), ("user", &user_id("sara"))]).await;
    let category = s(&ok(&app, &admin, "config_create_category", &[("name", "Servizi")]).await["id"]);
    let product = s(&ok(
        &app,
        &admin,
        "config_create_product",
        &[("code", "CONS"), ("name", "Consulenza"), ("unit", "h"), ("list_price", "80"), ("vat_rate", "22"), ("category", &category)],
    )
    .await["id"]);
    let tags = ok(&app, &marco, "tags_list", &[]).await;
    let clienti = s(&tags.as_array().unwrap().iter().find(|t| t["name"] == "Clienti").unwrap()["id"]);
    let contact = s(&ok(&app, &marco, "contacts_create", &[("kind", "company"), ("name", "Rossi Srl"), ("tags[]", &clienti)]).await["contact"]["id"]);
    let plain_contact = s(&ok(&app, &marco, "contacts_create", &[("kind", "person"), ("name", "Verdi Anna")]).await["contact"]["id"]);
    let sale = s(&ok(
        &app,
        &marco,
        "sales_create",
        &[
            ("contact", &contact),
            ("product", &product),
            ("seller", &marco_seller),
            ("quantity", "1"),
            ("unit_price", "80"),
            ("vat_rate", "22"),
            ("stage", "lead"),
            ("sale_date", "2026-03-02"),
        ],
    )
    .await["id"]);
    let offer = s(&ok(
        &app,
        &marco,
        "offers_create",
        &[
            ("contact", &contact),
            ("form[seller]", &marco_seller),
            ("form[lines][0][kind]", "product"),
            ("form[lines][0][product]", &product),
            ("form[lines][0][quantity]", "1"),
        ],
    )
    .await["id"]);
    World {
        clients: vec![(Who::Anonymous, browser()), (Who::Member, marco), (Who::OtherMember, sara), (Who::Manager, manager), (Who::Admin, admin)],
        logins: vec![
            (Who::Member, "marco", "marco-password-1".into()),
            (Who::OtherMember, "sara", "sara-password-1".into()),
            (Who::Manager, "giulia", "giulia-password-1".into()),
            (Who::Admin, "anna", ADMIN_PASSWORD.into()),
        ],
        app,
        contact,
        plain_contact,
        sale,
        offer,
        marco_seller,
        product,
        category,
        spare_user: s(&spare["id"]),
    }
}

/// One server function row: its path, who may call it, and a form that is valid apart from a
/// stale version where the function takes one.
struct Call {
    path: &'static str,
    rule: Rule,
    form: Vec<(&'static str, String)>,
    /// The call ends or replaces the session: each role uses a fresh one.
    own_session: bool,
}

fn calls(w: &World) -> Vec<Call> {
    let stale = || "999".to_string();
    let id = |v: &String| v.clone();
    let sale_form = |extra: Vec<(&'static str, String)>| {
        let mut form = vec![
            ("product", id(&w.product)),
            ("seller", id(&w.marco_seller)),
            ("quantity", "2".into()),
            ("unit_price", "80".into()),
            ("vat_rate", "22".into()),
            ("stage", "lead".into()),
            ("sale_date", "2026-03-03".into()),
        ];
        form.extend(extra);
        form
    };
    let offer_form = |extra: Vec<(&'static str, String)>| {
        let mut form = vec![
            ("form[seller]", id(&w.marco_seller)),
            ("form[lines][0][kind]", "product".into()),
            ("form[lines][0][product]", id(&w.product)),
            ("form[lines][0][quantity]", "2".into()),
        ];
        form.extend(extra);
        form
    };
    let row = |path: &'static str, rule: Rule, form: Vec<(&'static str, String)>| Call { path, rule, form, own_session: false };
    vec![
        // Sign-in and the session.
        row("/api/viewer", Rule::Public, vec![]),
        Call {
            path: "/api/login",
            rule: Rule::Public,
            form: vec![("login", "zeta".into()), ("password", "zeta-password-1".into())],
            own_session: true,
        },
        Call { path: "/api/logout", rule: Rule::Public, form: vec![], own_session: true },
        row(
            "/api/first_run",
            Rule::SetupOnly,
            vec![
                ("login", "eve".into()),
                ("display_name", "Eve".into()),
                ("password", "eve-password-1".into()),
                ("password_repeat", "eve-password-1".into()),
            ],
        ),
        row("/api/set_language", Rule::Public, vec![("lang", "it".into())]),
        row(
            "/api/change_password",
            Rule::SignedIn,
            vec![("current", "not-my-password".into()), ("new_password", "x".into()), ("new_password_repeat", "x".into())],
        ),
        // Users (admin).
        row("/api/users_list", Rule::AdminOnly, vec![]),
        row(
            "/api/users_create",
            Rule::AdminOnly,
            vec![("login", "nuovo".into()), ("display_name", "Nuovo".into()), ("password", "nuovo-password-1".into()), ("role", "member".into())],
        ),
        row("/api/users_set_role", Rule::AdminOnly, vec![("id", id(&w.spare_user)), ("version", stale()), ("role", "manager".into())]),
        row("/api/users_set_active", Rule::AdminOnly, vec![("id", id(&w.spare_user)), ("version", stale()), ("active", "false".into())]),
        row("/api/users_reset_password", Rule::AdminOnly, vec![("id", id(&w.spare_user)), ("password", "zeta-password-1".into())]),
        // CRM configuration: everybody reads, managers write.
        row("/api/config_overview", Rule::SignedIn, vec![]),
        row("/api/config_set_sales_tag", Rule::Managers, vec![("version", stale()), ("tag", "suppliers".into())]),
        row(
            "/api/config_set_stages",
            Rule::Managers,
            vec![("version", stale()), ("lead", "5".into()), ("negotiation", "30".into()), ("proposal", "60".into()), ("currency", "EUR".into())],
        ),
        row("/api/config_sellers", Rule::SignedIn, vec![]),
        row("/api/config_seller_candidates", Rule::Managers, vec![]),
        row("/api/config_create_seller", Rule::Managers, vec![("kind", "generic".into()), ("name", "Team Matrice".into())]),
        row("/api/config_rename_seller", Rule::Managers, vec![("id", id(&w.marco_seller)), ("version", stale()), ("name", "Altro".into())]),
        row("/api/config_set_seller_members", Rule::Managers, vec![("id", id(&w.marco_seller)), ("version", stale())]),
        row("/api/config_set_seller_active", Rule::Managers, vec![("id", id(&w.marco_seller)), ("version", stale()), ("active", "false".into())]),
        row("/api/config_delete_seller", Rule::Managers, vec![("id", id(&w.marco_seller)), ("version", stale())]),
        row("/api/config_categories", Rule::SignedIn, vec![]),
        row("/api/config_create_category", Rule::Managers, vec![("name", "Matrice".into())]),
        row("/api/config_rename_category", Rule::Managers, vec![("id", id(&w.category)), ("version", stale()), ("name", "Altro".into())]),
        row("/api/config_move_category", Rule::Managers, vec![("id", id(&w.category)), ("version", stale())]),
        row("/api/config_reorder_category", Rule::Managers, vec![("id", id(&w.category)), ("version", stale()), ("direction", "up".into())]),
        row("/api/config_delete_category", Rule::Managers, vec![("id", id(&w.category)), ("version", stale())]),
        row("/api/config_products", Rule::SignedIn, vec![]),
        row(
            "/api/config_create_product",
            Rule::Managers,
            vec![("code", "MTX".into()), ("name", "Matrice".into()), ("unit", "pz".into()), ("list_price", "1".into()), ("vat_rate", "22".into())],
        ),
        row(
            "/api/config_update_product",
            Rule::Managers,
            vec![
                ("id", id(&w.product)),
                ("version", stale()),
                ("code", "CONS".into()),
                ("name", "Consulenza".into()),
                ("unit", "h".into()),
                ("list_price", "80".into()),
                ("vat_rate", "22".into()),
            ],
        ),
        row("/api/config_set_product_active", Rule::Managers, vec![("id", id(&w.product)), ("version", stale()), ("active", "false".into())]),
        row("/api/config_company", Rule::SignedIn, vec![]),
        row("/api/config_set_company", Rule::Managers, vec![("version", stale()), ("name", "Matrice Srl".into())]),
        row("/api/lost_reasons", Rule::SignedIn, vec![]),
        row("/api/exports", Rule::Managers, vec![]),
        row("/api/lost_reasons_add", Rule::Managers, vec![("name", "Matrice".into())]),
        row("/api/lost_reasons_rename", Rule::Managers, vec![("id", "999999".into()), ("name", "Matrice".into())]),
        row("/api/lost_reasons_set_active", Rule::Managers, vec![("id", "999999".into()), ("active", "false".into())]),
        row("/api/lost_reasons_move_up", Rule::Managers, vec![("id", "999999".into())]),
        row("/api/lost_reasons_delete", Rule::Managers, vec![("id", "999999".into())]),
        // Address book: every signed-in user.
        row("/api/contacts_list", Rule::SignedIn, vec![]),
        row("/api/contacts_get", Rule::SignedIn, vec![("id", id(&w.contact))]),
        row("/api/contacts_create", Rule::SignedIn, vec![("kind", "person".into()), ("name", "Neri Luca".into())]),
        row(
            "/api/contacts_update",
            Rule::SignedIn,
            vec![("id", id(&w.contact)), ("version", stale()), ("kind", "company".into()), ("name", "Rossi Srl".into())],
        ),
        row("/api/contacts_delete", Rule::Managers, vec![("id", id(&w.plain_contact)), ("version", stale())]),
        row("/api/tags_list", Rule::SignedIn, vec![]),
        row("/api/tags_delete", Rule::Managers, vec![("id", "999999".into())]),
        row("/api/tags_usage", Rule::Managers, vec![]),
        row("/api/tags_rename", Rule::Managers, vec![("id", "999999".into()), ("name", "Matrice".into())]),
        row("/api/tags_merge", Rule::Managers, vec![("from", "999998".into()), ("into", "999999".into())]),
        // Sales: a member only his own seller's.
        row("/api/sales_tab", Rule::SignedIn, vec![("contact", id(&w.contact))]),
        row("/api/sales_form_options", Rule::SignedIn, vec![]),
        row("/api/sales_products", Rule::SignedIn, vec![]),
        row("/api/sales_get", Rule::OwnSale, vec![("id", id(&w.sale))]),
        row("/api/sales_history", Rule::OwnSale, vec![("id", id(&w.sale))]),
        row("/api/sales_create", Rule::OwnSale, sale_form(vec![("contact", id(&w.contact))])),
        row("/api/sales_update", Rule::OwnSale, sale_form(vec![("id", id(&w.sale)), ("version", stale())])),
        row("/api/sales_delete", Rule::OwnSale, vec![("id", id(&w.sale)), ("version", stale())]),
        row("/api/sales_move", Rule::OwnSale, vec![("id", id(&w.sale)), ("version", stale()), ("stage", "won".into())]),
        // Offers: as sales.
        row("/api/offers_from_sale", Rule::OwnSale, vec![("sale", id(&w.sale))]),
        row("/api/offers_list", Rule::SignedIn, vec![("state", "draft".into()), ("contact", id(&w.contact))]),
        row("/api/offers_get", Rule::OwnSale, vec![("id", id(&w.offer))]),
        row("/api/offers_revisions", Rule::OwnSale, vec![("id", id(&w.offer))]),
        row("/api/offers_create", Rule::OwnSale, offer_form(vec![("contact", id(&w.contact))])),
        row("/api/offers_update", Rule::OwnSale, offer_form(vec![("id", id(&w.offer)), ("version", stale())])),
        row("/api/offers_delete", Rule::OwnSale, vec![("id", id(&w.offer)), ("version", stale())]),
        row("/api/offers_send", Rule::OwnSale, vec![("id", id(&w.offer)), ("version", stale())]),
        row("/api/offers_revise", Rule::OwnSale, vec![("id", id(&w.offer)), ("version", stale())]),
        row("/api/offers_answer", Rule::OwnSale, vec![("id", id(&w.offer)), ("version", stale()), ("answer", "accepted".into())]),
        // The desk: each user's own scope, decided in the query (tests/desk.rs in app).
        row("/api/import_batches", Rule::Managers, vec![]),
        row("/api/import_undo", Rule::Managers, vec![("id", "999999".into())]),
        row("/api/desk_home", Rule::SignedIn, vec![]),
        // Commissions: a member reads his own sellers' statements and settles nothing.
        row("/api/commissions_overview", Rule::SignedIn, vec![("period", "2026-03".into())]),
        row("/api/commissions_statement", Rule::OwnSale, vec![("seller", id(&w.marco_seller)), ("period", "2026-03".into())]),
        row("/api/commissions_settled", Rule::OwnSale, vec![("seller", id(&w.marco_seller))]),
        row("/api/commissions_settled_statement", Rule::SignedIn, vec![("id", "999999".into())]),
        row("/api/commissions_settle", Rule::Managers, vec![("seller", id(&w.marco_seller)), ("period", "2026-03".into())]),
        row("/api/commissions_setup", Rule::Managers, vec![]),
        row(
            "/api/commissions_save_plan",
            Rule::Managers,
            vec![("seller", id(&w.marco_seller)), ("version", stale()), ("earn_on", "collection".into())],
        ),
        row(
            "/api/commissions_add_rule",
            Rule::Managers,
            vec![("seller", id(&w.marco_seller)), ("kind", "rate".into()), ("value", "8".into()), ("valid_from", "2026-06-01".into())],
        ),
        row("/api/commissions_delete_rule", Rule::Managers, vec![("id", "999999".into())]),
        row(
            "/api/commissions_save_year",
            Rule::Managers,
            vec![
                ("year", "2031".into()),
                ("rate", "17".into()),
                ("company", "8,5".into()),
                ("ceiling_mono", "1".into()),
                ("ceiling_pluri", "1".into()),
                ("minimum_mono", "1".into()),
                ("minimum_pluri", "1".into()),
                ("firr_rate1", "4".into()),
                ("firr_rate2", "2".into()),
                ("firr_rate3", "1".into()),
                ("firr_mono1", "1".into()),
                ("firr_mono2", "2".into()),
                ("firr_pluri1", "1".into()),
                ("firr_pluri2", "2".into()),
            ],
        ),
        row("/api/collections_get", Rule::OwnSale, vec![("sale", id(&w.sale))]),
        row("/api/collections_add", Rule::OwnSale, vec![("sale", id(&w.sale)), ("on", "2026-03-05".into()), ("amount", "1".into())]),
        row("/api/collections_delete", Rule::SignedIn, vec![("id", "999999".into())]),
        row("/api/desk_sales", Rule::SignedIn, vec![("stage", "open".into())]),
        row("/api/desk_board", Rule::SignedIn, vec![("overdue", "1".into())]),
        // Reports: everyone his own, managers every seller.
        row("/api/report_data", Rule::SignedIn, vec![("scope", "Mine".into())]),
        row("/api/report_data", Rule::Managers, vec![("scope", "All".into())]),
        row("/api/forecast_history", Rule::SignedIn, vec![]),
        // Targets: everyone reads his own sellers' (the grid decides which), managers set them.
        row("/api/targets_grid", Rule::SignedIn, vec![("year", "2026".into())]),
        row(
            "/api/targets_set",
            Rule::Managers,
            vec![("seller", id(&w.marco_seller)), ("month", "2026-03".into()), ("category", String::new()), ("amount", "1000".into())],
        ),
        row("/api/targets_copy", Rule::Managers, vec![("year", "2026".into()), ("uplift", "5".into())]),
    ]
}

/// One page row: the route pattern as the router knows it, a concrete address, who may open it.
fn pages(w: &World) -> Vec<(&'static str, String, PageRule)> {
    let card = format!("/contacts/{}", w.contact);
    vec![
        ("/", "/".into(), PageRule::SignedIn),
        ("/login", "/login".into(), PageRule::SignedOutOnly),
        ("/setup", "/setup".into(), PageRule::SetupOnly),
        ("/profile/password", "/profile/password".into(), PageRule::SignedIn),
        ("/users", "/users".into(), PageRule::AdminOnly),
        ("/config/crm", "/config/crm".into(), PageRule::SignedIn),
        ("/config/crm/tag", "/config/crm/tag".into(), PageRule::SignedIn),
        ("/config/crm/sellers", "/config/crm/sellers".into(), PageRule::SignedIn),
        ("/config/crm/categories", "/config/crm/categories".into(), PageRule::SignedIn),
        ("/config/crm/products", "/config/crm/products".into(), PageRule::SignedIn),
        ("/config/crm/lost-reasons", "/config/crm/lost-reasons".into(), PageRule::SignedIn),
        ("/config/crm/stages", "/config/crm/stages".into(), PageRule::SignedIn),
        ("/config/crm/company", "/config/crm/company".into(), PageRule::SignedIn),
        ("/sales", "/sales?stage=open&sort=close".into(), PageRule::SignedIn),
        ("/sales/board", "/sales/board?seller=1".into(), PageRule::SignedIn),
        ("/contacts", "/contacts?q=rossi".into(), PageRule::SignedIn),
        ("/contacts/new", "/contacts/new".into(), PageRule::SignedIn),
        ("/contacts/tags", "/contacts/tags".into(), PageRule::Managers),
        ("/import", "/import".into(), PageRule::Managers),
        ("/contacts/{id}", card.clone(), PageRule::SignedIn),
        ("/contacts/{id}/vendita", format!("{card}/vendita"), PageRule::SignedIn),
        ("/contacts/{id}/offers/new", format!("{card}/offers/new"), PageRule::SignedIn),
        ("/offers/{id}", format!("/offers/{}", w.offer), PageRule::OwnOffer),
        ("/offers", "/offers?state=draft".into(), PageRule::SignedIn),
        ("/reports/mine", "/reports/mine".into(), PageRule::SignedIn),
        ("/reports/sellers", "/reports/sellers".into(), PageRule::Managers),
        ("/reports/forecast", "/reports/forecast".into(), PageRule::Managers),
        ("/reports/targets", "/reports/targets".into(), PageRule::SignedIn),
        ("/commissions", "/commissions?period=2026-03".into(), PageRule::SignedIn),
        ("/commissions/{seller}", format!("/commissions/{}?period=2026-03", w.marco_seller), PageRule::OwnOffer),
        ("/commissions/statements/{id}", "/commissions/statements/999999".into(), PageRule::SignedIn),
        ("/config/crm/commissions", "/config/crm/commissions".into(), PageRule::Managers),
        ("/sales/{id}/collections", format!("/sales/{}/collections", w.sale), PageRule::SignedIn),
        // Plain axum routes, beside the pages.
        ("/healthz", "/healthz".into(), PageRule::Public),
        ("/reports/export.xlsx", "/reports/export.xlsx?scope=mine&period=year".into(), PageRule::Download { managers_only: false }),
        ("/reports/export.xlsx", "/reports/export.xlsx?scope=all&period=year".into(), PageRule::Download { managers_only: true }),
        ("/import/upload", "/import/upload".into(), PageRule::PostOnly),
        ("/offers/{id}/offer.pdf", format!("/offers/{}/offer.pdf", w.offer), PageRule::OfferPdf),
        ("/commissions/statements/{id}/statement.pdf", "/commissions/statements/999999/statement.pdf".into(), PageRule::SignedInMissing),
        ("/o/{token}", format!("/o/{}", "0".repeat(64)), PageRule::NoLink),
        ("/o/{token}/offer.pdf", format!("/o/{}/offer.pdf", "0".repeat(64)), PageRule::NoLink),
        ("/config/crm/company/logo", "/config/crm/company/logo".into(), PageRule::PostOnly),
        ("/config/crm/company/logo.png", "/config/crm/company/logo.png".into(), PageRule::SignedInMissing),
        ("/import/export/contacts.xlsx", "/import/export/contacts.xlsx".into(), PageRule::Download { managers_only: true }),
        ("/import/export/products.xlsx", "/import/export/products.xlsx".into(), PageRule::Download { managers_only: true }),
        ("/import/batches/{id}/rejected.xlsx", "/import/batches/999999/rejected.xlsx".into(), PageRule::DownloadMissing),
    ]
}

/// The axum routes the router adds beside the Leptos pages (server/src/lib.rs).
const PLAIN_ROUTES: [&str; 12] = [
    "/healthz",
    "/offers/{id}/offer.pdf",
    "/commissions/statements/{id}/statement.pdf",
    "/o/{token}",
    "/o/{token}/offer.pdf",
    "/config/crm/company/logo",
    "/config/crm/company/logo.png",
    "/reports/export.xlsx",
    "/import/upload",
    "/import/export/contacts.xlsx",
    "/import/export/products.xlsx",
    "/import/batches/{id}/rejected.xlsx",
];

#[tokio::test]
async fn every_endpoint_and_page_has_a_row_and_every_row_holds() {
    let w = world().await;
    let app = &w.app;
    let calls = calls(&w);
    let pages = pages(&w);

    // Completeness: the rows name exactly what the server registers.
    let registered: BTreeSet<String> = server_fn_paths().map(|(path, _)| path.to_string()).collect();
    let rows: BTreeSet<String> = calls.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(registered.difference(&rows).collect::<Vec<_>>(), Vec::<&String>::new(), "server functions without a row in the authorization matrix");
    assert_eq!(rows.difference(&registered).collect::<Vec<_>>(), Vec::<&String>::new(), "rows for server functions that no longer exist");
    let routes: BTreeSet<String> =
        leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_string()).chain(PLAIN_ROUTES.iter().map(|p| p.to_string())).collect();
    let page_rows: BTreeSet<String> = pages.iter().map(|(pattern, _, _)| pattern.to_string()).collect();
    assert_eq!(routes, page_rows, "page routes and their rows differ");

    let mut failures = Vec::new();
    let mut table = String::new();
    for call in &calls {
        let mut line = format!("{:<34}", format!("{} {:?}", call.path.trim_start_matches("/api/"), call.rule));
        for (who, client) in &w.clients {
            let fresh;
            let client = if call.own_session {
                fresh = browser();
                if let Some((_, login, password)) = w.logins.iter().find(|(w, _, _)| w == who) {
                    let res = app.post(&fresh, "login", &[("login", login), ("password", password)]).await;
                    assert_eq!(res.status(), StatusCode::OK, "sign in {login} for {}", call.path);
                }
                &fresh
            } else {
                client
            };
            let form: Vec<(&str, &str)> = call.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = client.post(app.url(call.path)).form(&form).send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            let expected = expect_call(call.rule, *who);
            let holds = match &expected {
                Expect::Allowed => allowed_status(status),
                Expect::Status(code) => status.as_u16() == *code,
                Expect::Redirect(_) => unreachable!(),
            };
            line.push_str(&format!(" {:>4}{}", status.as_u16(), if holds { ' ' } else { '!' }));
            if !holds {
                failures.push(format!("{} as {who:?}: expected {expected:?}, got {status} {body}", call.path));
            }
        }
        table.push_str(&line);
        table.push('\n');
    }
    for (pattern, url, rule) in &pages {
        let mut line = format!("{:<34}", format!("GET {pattern}"));
        for (who, client) in &w.clients {
            let res = app.page(client, url).await;
            let status = res.status();
            let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
            let expected = expect_page(*rule, *who);
            let holds = match &expected {
                Expect::Status(code) => status.as_u16() == *code,
                Expect::Redirect(to) => status.is_redirection() && location == *to,
                Expect::Allowed => unreachable!(),
            };
            line.push_str(&format!(" {:>4}{}", status.as_u16(), if holds { ' ' } else { '!' }));
            if !holds {
                failures.push(format!("GET {url} as {who:?}: expected {expected:?}, got {status} → {location:?}"));
            }
        }
        table.push_str(&line);
        table.push('\n');
    }
    println!("{:<34} {}", "", EVERYONE.iter().map(|w| format!("{:>5}", &format!("{w:?}")[..4])).collect::<String>());
    print!("{table}");

    // The refused calls changed nothing: Marco's sale is as he registered it.
    let marco = &w.clients.iter().find(|(who, _)| *who == Who::Member).unwrap().1;
    let sale = ok(app, marco, "sales_get", &[("id", &w.sale)]).await;
    assert_eq!(sale["version"], 1, "the sale was not changed by any refused or stale call");
    assert_eq!(sale["quantity"], 1000);
    let offer = ok(app, marco, "offers_get", &[("id", &w.offer)]).await;
    assert_eq!(
        (offer["version"].as_i64(), offer["state"].as_str()),
        (Some(1), Some("draft")),
        "the offer was not changed by any refused or stale call"
    );
    assert!(failures.is_empty(), "authorization matrix:\n{}", failures.join("\n"));
}
