//! The desk's queries. Every one starts from the user's seller scope (`visible_sellers`), so a
//! member's home page, list and counts hold only his own sellers' sales. "Today" is a parameter:
//! the tests fix it.

use super::{
    BOARD_CARDS, Board, BoardColumn, CLOSING_SOON_DAYS, DeskSale, HOME_LIST, Home, ListTotals, SALES_LIST_PAGE, SalesFilter, SalesList, SalesSort,
    SellerFigures, WizardProgress,
};
use crate::auth::CurrentUser;
use crate::auth::scope::{SellerScope, visible_sellers};
use crate::config::Step;
use crate::config::ssr::{overview, sale_settings};
use crate::contacts::ContactId;
use crate::contacts::ssr::like_pattern;
use crate::db::entities::{categories, contacts, products, sales, sellers};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::figures::Month;
use crate::figures::cells::open_stages;
use crate::money::Money;
use crate::sales::{SaleId, Stage};
use crate::sellers::SellerId;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, LikeExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::*;
use std::collections::HashMap;

/// The longest text the list searches for.
const MAX_SEARCH: usize = 100;

#[derive(Debug, FromQueryResult)]
struct DeskRow {
    id: i64,
    version: i32,
    contact_id: i64,
    contact_name: String,
    product_code: String,
    product_name: String,
    seller_name: String,
    net_cents: i64,
    stage: Stage,
    probability: i32,
    sale_date: NaiveDate,
    expected_close: Option<NaiveDate>,
    closed_date: Option<NaiveDate>,
    updated_at: DateTime<Utc>,
}

impl From<DeskRow> for DeskSale {
    fn from(r: DeskRow) -> DeskSale {
        DeskSale {
            id: SaleId(r.id),
            version: r.version,
            contact: ContactId(r.contact_id),
            contact_name: r.contact_name,
            product: format!("{} {}", r.product_code, r.product_name),
            seller: r.seller_name,
            net: Money(r.net_cents),
            stage: r.stage,
            probability: r.probability,
            sale_date: r.sale_date,
            expected_close: r.expected_close,
            closed_date: r.closed_date,
            updated_at: r.updated_at,
        }
    }
}

fn col(column: sales::Column) -> Expr {
    Expr::col((sales::Entity, column))
}

/// The visible sales, not yet narrowed further. No join: counts and sums read `sales` alone.
fn scoped(scope: &SellerScope) -> Select<sales::Entity> {
    scope.filter(sales::Entity::find())
}

/// The columns a `DeskRow` reads, with the names of its contact, product and seller.
fn rows_of(query: Select<sales::Entity>) -> Select<sales::Entity> {
    query
        .join(JoinType::InnerJoin, sales::Relation::Contact.def())
        .join(JoinType::InnerJoin, sales::Relation::Product.def())
        .join(JoinType::InnerJoin, sales::Relation::Seller.def())
        .select_only()
        .columns([
            sales::Column::Id,
            sales::Column::Version,
            sales::Column::ContactId,
            sales::Column::NetCents,
            sales::Column::Stage,
            sales::Column::Probability,
            sales::Column::SaleDate,
            sales::Column::ExpectedClose,
            sales::Column::ClosedDate,
            sales::Column::UpdatedAt,
        ])
        .column_as(contacts::Column::Name, "contact_name")
        .column_as(products::Column::Code, "product_code")
        .column_as(products::Column::Name, "product_name")
        .column_as(sellers::Column::Name, "seller_name")
}

/// Open: also the condition of the partial index of the open deals by expected close
/// (`idx_sales_open_close`), which a query uses only when it repeats it.
fn open() -> SimpleExpr {
    col(sales::Column::Stage).is_in(Stage::OPEN.map(|s| s.code()))
}

/// The expected close, the undated last: the expression of `idx_sales_close_key_id`, so a
/// filter or an order on it walks the index instead of every sale.
fn close_key() -> Expr {
    Expr::cust("COALESCE(sales.expected_close, '9999-12-31')")
}

/// Open, with an expected close before today: on the plain column, a range of the open deals'
/// index by stage and expected close (which also holds the seller, the net and the probability).
fn overdue(today: NaiveDate) -> Condition {
    Condition::all().add(open()).add(col(sales::Column::ExpectedClose).lt(today))
}

/// In `stage` (won or lost), closed within [first, until).
fn closed_between(stage: Stage, first: NaiveDate, until: NaiveDate) -> Condition {
    let closed = || Expr::expr(Func::coalesce([col(sales::Column::ClosedDate), col(sales::Column::SaleDate)]));
    Condition::all().add(col(sales::Column::Stage).eq(stage.code())).add(closed().gte(first)).add(closed().lt(until))
}

/// Count, net and weighted of the sales a query keeps, in one aggregate.
async fn sums(db: &impl ConnectionTrait, query: Select<sales::Entity>) -> AppResult<ListTotals> {
    let (count, net, weighted): (i64, i64, i64) = query
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(sales.net_cents), 0) AS BIGINT)"), "net")
        .column_as(Expr::cust("CAST(COALESCE(SUM(sales.net_cents * sales.probability), 0) AS BIGINT)"), "weighted")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    Ok(totals(count, net, weighted))
}

fn totals(count: i64, net: i64, weighted: i64) -> ListTotals {
    ListTotals { count: count as u64, net: Money(net), weighted: Money::from_weighted(weighted as i128) }
}

/// The totals of a filter that narrows only on what a report cell knows (seller, stage, product or
/// category), summed from the cells kept with every sale (`figures::cells`: a few thousand
/// rows, not every sale). `None` for any other filter: its totals come from the sales.
async fn cell_sums(db: &impl ConnectionTrait, scope: &SellerScope, f: &Parsed, under: Option<SelectStatement>) -> AppResult<Option<ListTotals>> {
    let on_cells = f.text.is_none() && [f.from, f.to, f.close_from, f.close_to].iter().all(Option::is_none) && !f.overdue;
    if !on_cells {
        return Ok(None);
    }
    let table = Alias::new("report_cells");
    let cell = |column: &str| Expr::col((table.clone(), Alias::new(column)));
    let mut query = Query::select();
    query
        .from(table.clone())
        .expr_as(Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"), Alias::new("n"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(net), 0) AS BIGINT)"), Alias::new("net"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(weighted), 0) AS BIGINT)"), Alias::new("weighted"));
    if let SellerScope::Only(ids) = scope {
        query.and_where(cell("seller_id").is_in(ids.iter().copied()));
    }
    if let Some(seller) = f.seller {
        query.and_where(cell("seller_id").eq(seller));
    }
    if let Some(stages) = &f.stages {
        query.and_where(cell("stage").is_in(stages.iter().map(|s| s.code())));
    }
    if let Some(under) = under {
        query.and_where(cell("product_id").in_subquery(under));
    }
    if let Some(product) = f.product {
        query.and_where(cell("product_id").eq(product));
    }
    let row = db.query_one_raw(db.get_database_backend().build(&query)).await?.ok_or(AppError::Internal)?;
    Ok(Some(totals(row.try_get("", "n")?, row.try_get("", "net")?, row.try_get("", "weighted")?)))
}

/// The ids of the products filed under the filter's category or one of its sub-categories, as a
/// subquery (`None`: no category filter). Read once per request: the rows and the totals share it.
async fn filed_under(db: &impl ConnectionTrait, category: Option<i64>) -> AppResult<Option<SelectStatement>> {
    let Some(category) = category else { return Ok(None) };
    let all = categories::Entity::find().all(db).await?;
    Ok(Some(
        Query::select()
            .column(products::Column::Id)
            .from(products::Entity)
            .and_where(products::Column::CategoryId.is_in(crate::catalog::ssr::subtree(&all, category)))
            .to_owned(),
    ))
}

/// At most `limit` sales of `query`, ordered by `key` then id, both `order`. The page's ids are
/// picked from `sales` alone (an index range, a sort of ids), then joined with the names of their
/// contact, product and seller: the names are read for the page, not for every sale it is picked from.
async fn listed(db: &impl ConnectionTrait, query: Select<sales::Entity>, key: Expr, order: Order, limit: u64) -> AppResult<Vec<DeskSale>> {
    let ordered = |query: Select<sales::Entity>| query.order_by(key.clone(), order.clone()).order_by(col(sales::Column::Id), order.clone());
    let page = ordered(query).select_only().column(sales::Column::Id).limit(limit).into_query();
    let rows = ordered(rows_of(sales::Entity::find().filter(sales::Column::Id.in_subquery(page))));
    Ok(rows.into_model::<DeskRow>().all(db).await?.into_iter().map(DeskSale::from).collect())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("day 1 exists")
}

/// One seller's figures on the home page.
#[derive(Debug, Default)]
struct SellerSums {
    seller_id: i64,
    won_n: i64,
    won: i64,
    won_year_ago: i64,
    open_n: i64,
    open: i64,
    /// Σ net × probability of the open sales.
    open_weighted: i64,
    overdue: i64,
}

/// Every figure of the home page per seller in the scope, each read from an index alone (the
/// `covering_indexes` migration): the won and open sums from the report cells kept with every sale
/// (`figures::cells`), the overdue counts (day by day: the cells know months) from the open
/// sales by expected close.
async fn seller_sums(db: &DatabaseConnection, scope: &SellerScope, today: NaiveDate) -> AppResult<Vec<SellerSums>> {
    let month = Month::of(today).0;
    let sellers = scope.sql("seller_id");
    let backend = db.get_database_backend();
    let open_sql = format!(
        "SELECT seller_id, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(net) AS BIGINT) AS net, CAST(SUM(weighted) AS BIGINT) AS weighted \
         FROM report_cells WHERE stage IN ({}){sellers} GROUP BY seller_id",
        open_stages()
    );
    let won_sql = format!(
        "SELECT seller_id, CAST(month AS BIGINT) AS month, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(net) AS BIGINT) AS net \
         FROM report_cells WHERE stage = 'won' AND month IN ({month}, {}){sellers} GROUP BY seller_id, month",
        month - 12
    );
    // `+ 0`: grouped after the index range, not along the seller index (which reads every sale).
    let overdue_counts = scope
        .filter(sales::Entity::find())
        .select_only()
        .column_as(Expr::cust("sales.seller_id + 0"), "seller")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(overdue(today))
        .group_by(Expr::cust("sales.seller_id + 0"))
        .into_tuple::<(i64, i64)>()
        .all(db);
    let (open_rows, won_rows, overdue) = tokio::try_join!(
        db.query_all_raw(Statement::from_string(backend, open_sql)),
        db.query_all_raw(Statement::from_string(backend, won_sql)),
        overdue_counts,
    )?;
    let mut sums: HashMap<i64, SellerSums> = HashMap::new();
    for row in open_rows {
        let s = sums.entry(row.try_get("", "seller_id")?).or_default();
        (s.open_n, s.open, s.open_weighted) = (row.try_get("", "n")?, row.try_get("", "net")?, row.try_get("", "weighted")?);
    }
    for row in won_rows {
        let s = sums.entry(row.try_get("", "seller_id")?).or_default();
        let (n, net): (i64, i64) = (row.try_get("", "n")?, row.try_get("", "net")?);
        if row.try_get::<i64>("", "month")? == i64::from(month) {
            (s.won_n, s.won) = (n, net);
        } else {
            s.won_year_ago = net;
        }
    }
    for (seller, n) in overdue {
        sums.entry(seller).or_default().overdue = n;
    }
    Ok(sums.into_iter().map(|(seller_id, s)| SellerSums { seller_id, ..s }).collect())
}

/// The home page of `actor` on `today`: his own sellers' figures, or the team's for managers. Its
/// reads do not depend on one another: they run at once, each on a connection of the pool, so the
/// page waits for the slowest of them rather than for their sum.
pub async fn home(db: &DatabaseConnection, actor: &CurrentUser, today: NaiveDate) -> AppResult<Home> {
    let scope = visible_sellers(db, actor).await?;
    let team = actor.role.is_manager();
    // Both lists walk the open deals' index by expected close (dated: the plain column orders
    // them) and stop at the tenth, however many won and lost sales closed before.
    let by_close = || col(sales::Column::ExpectedClose);
    let soon = today + chrono::Days::new(CLOSING_SOON_DAYS as u64);
    let closing = Condition::all().add(open()).add(by_close().gte(today)).add(by_close().lte(soon));
    let mut recent = scoped(&scope);
    if !team {
        recent = recent.filter(Condition::any().add(col(sales::Column::CreatedBy).eq(actor.id.0)).add(col(sales::Column::UpdatedBy).eq(actor.id.0)));
    }
    let (per_seller, late, closing_soon, recent, attainment, offers_answered, commissions, settings, (named, wizard)) = tokio::try_join!(
        seller_sums(db, &scope, today),
        listed(db, scoped(&scope).filter(overdue(today)), by_close(), Order::Asc, HOME_LIST),
        listed(db, scoped(&scope).filter(closing), by_close(), Order::Asc, HOME_LIST),
        listed(db, recent, col(sales::Column::UpdatedAt), Order::Desc, HOME_LIST),
        crate::targets::ssr::attainment_of(db, &scope, today),
        crate::offers::ssr::recent_answers(db, &scope, today, HOME_LIST),
        crate::commissions::ssr::mine(db, actor, today),
        sale_settings(db),
        async {
            if !team {
                return Ok((Vec::new(), None));
            }
            let named = sellers::Entity::find().order_by_asc(sellers::Column::Name).all(db).await?;
            AppResult::Ok((named, wizard(db, actor).await?))
        },
    )?;
    let total = |f: fn(&SellerSums) -> i64| per_seller.iter().map(|s| f(s) as i128).sum::<i128>();
    let money = |f: fn(&SellerSums) -> i64| Money(total(f) as i64);
    Ok(Home {
        today,
        currency: settings.currency,
        team,
        won_month: money(|s| s.won),
        won_month_count: total(|s| s.won_n) as u64,
        won_last_year: money(|s| s.won_year_ago),
        pipeline: money(|s| s.open),
        pipeline_count: total(|s| s.open_n) as u64,
        // Rounded once, over the whole team.
        weighted: Money::from_weighted(total(|s| s.open_weighted)),
        overdue_count: total(|s| s.overdue) as u64,
        overdue: late,
        closing_soon,
        recent,
        sellers: seller_figures(named, &per_seller),
        attainment,
        offers_answered,
        commissions,
        wizard,
    })
}

/// Every seller of `named` that is active or has figures: won this month, open pipeline, overdue deals.
fn seller_figures(named: Vec<sellers::Model>, sums: &[SellerSums]) -> Vec<SellerFigures> {
    let figures: HashMap<i64, &SellerSums> = sums.iter().map(|s| (s.seller_id, s)).collect();
    named
        .into_iter()
        .filter(|s| s.active || figures.contains_key(&s.id))
        .map(|s| {
            let f = figures.get(&s.id);
            SellerFigures {
                id: SellerId(s.id),
                name: s.name,
                won_month: Money(f.map_or(0, |f| f.won)),
                pipeline: Money(f.map_or(0, |f| f.open)),
                overdue: f.map_or(0, |f| f.overdue) as u64,
            }
        })
        .collect()
}

async fn wizard(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Option<WizardProgress>> {
    let overview = overview(db, actor).await?;
    Ok(overview.next_step().map(|next| WizardProgress { done: overview.done_count(), total: Step::ALL.len(), next }))
}

// ---------------------------------------------------------------- the sales list

/// A filter that passed its checks.
struct Parsed {
    text: Option<String>,
    seller: Option<i64>,
    stages: Option<Vec<Stage>>,
    category: Option<i64>,
    product: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    close_from: Option<NaiveDate>,
    close_to: Option<NaiveDate>,
    overdue: bool,
    sort: SalesSort,
}

impl Parsed {
    /// Keeps only sales with an expected close (NULL passes no comparison).
    fn dated(&self) -> bool {
        self.overdue || self.close_from.is_some() || self.close_to.is_some()
    }
}

fn parse_id(field: Field, text: &str) -> AppResult<Option<i64>> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::invalid(field, Problem::Invalid)),
    }
}

fn parse_day(field: Field, text: &str) -> AppResult<Option<NaiveDate>> {
    match text.trim() {
        "" => Ok(None),
        t => crate::i18n::parse_day(t).map(Some).ok_or(AppError::invalid(field, Problem::BadDate)),
    }
}

fn parse(filter: &SalesFilter) -> AppResult<Parsed> {
    let text = filter.q.trim();
    if text.chars().count() > MAX_SEARCH {
        return Err(AppError::invalid(Field::Name, Problem::TooLong));
    }
    let stages = match filter.stage.trim() {
        "" => None,
        "open" => Some(Stage::OPEN.to_vec()),
        code => Some(vec![Stage::from_code(code).ok_or(AppError::invalid(Field::Stage, Problem::Invalid))?]),
    };
    let sort = match filter.sort.trim() {
        "" => SalesSort::default(),
        code => SalesSort::from_code(code).ok_or(AppError::BadRequest("sort".into()))?,
    };
    Ok(Parsed {
        text: (!text.is_empty()).then(|| like_pattern(text)),
        seller: parse_id(Field::Seller, &filter.seller)?,
        stages,
        category: parse_id(Field::Category, &filter.category)?,
        product: parse_id(Field::Product, &filter.product)?,
        from: parse_day(Field::SaleDate, &filter.from)?,
        to: parse_day(Field::SaleDate, &filter.to)?,
        close_from: parse_day(Field::ExpectedClose, &filter.close_from)?,
        close_to: parse_day(Field::ExpectedClose, &filter.close_to)?,
        overdue: matches!(filter.overdue.trim(), "1" | "true" | "on"),
        sort,
    })
}

/// The visible sales the filter keeps.
fn filtered(scope: &SellerScope, f: &Parsed, under: Option<SelectStatement>, today: NaiveDate) -> Select<sales::Entity> {
    let mut query = scoped(scope);
    // Contact and product conditions as subqueries, so `sales` is not joined for the totals.
    if let Some(pattern) = &f.text {
        let like = |e: Expr| Expr::expr(Func::lower(e)).like(LikeExpr::new(pattern.clone()).escape('\\'));
        let named_contacts = Query::select()
            .column(contacts::Column::Id)
            .from(contacts::Entity)
            .and_where(like(Expr::col((contacts::Entity, contacts::Column::Name))))
            .to_owned();
        let named_products = Query::select()
            .column(products::Column::Id)
            .from(products::Entity)
            .cond_where(
                Condition::any()
                    .add(like(Expr::col((products::Entity, products::Column::Code))))
                    .add(like(Expr::col((products::Entity, products::Column::Name)))),
            )
            .to_owned();
        query = query.filter(
            Condition::any()
                .add(sales::Column::ContactId.in_subquery(named_contacts))
                .add(sales::Column::ProductId.in_subquery(named_products))
                .add(like(col(sales::Column::Notes))),
        );
    }
    if let Some(seller) = f.seller {
        query = query.filter(sales::Column::SellerId.eq(seller));
    }
    if let Some(stages) = &f.stages {
        query = query.filter(col(sales::Column::Stage).is_in(stages.iter().map(|s| s.code())));
    }
    if let Some(under) = under {
        query = query.filter(sales::Column::ProductId.in_subquery(under));
    }
    if let Some(product) = f.product {
        query = query.filter(sales::Column::ProductId.eq(product));
    }
    let between = |query: Select<sales::Entity>, column: sales::Column, from: Option<NaiveDate>, to: Option<NaiveDate>| {
        let query = match from {
            Some(day) => query.filter(col(column).gte(day)),
            None => query,
        };
        match to {
            Some(day) => query.filter(col(column).lte(day)),
            None => query,
        }
    };
    query = between(query, sales::Column::SaleDate, f.from, f.to);
    query = between(query, sales::Column::ExpectedClose, f.close_from, f.close_to);
    if f.overdue {
        query = query.filter(overdue(today));
    }
    query
}

/// The sort key of a row as SQL, and as the cursor writes it. `dated`: the filter keeps only sales
/// with an expected close, whose close key is that date: ordered on the plain column, the rows
/// come from the filter's own index range (overdue, a close month), not from a walk of the
/// close-key index past every older sale.
fn sort_key(sort: SalesSort, dated: bool) -> Expr {
    match sort {
        SalesSort::DateDesc | SalesSort::DateAsc => col(sales::Column::SaleDate),
        SalesSort::CloseAsc | SalesSort::CloseDesc if dated => col(sales::Column::ExpectedClose),
        // No expected close sorts after every date.
        SalesSort::CloseAsc | SalesSort::CloseDesc => close_key(),
        SalesSort::NetDesc | SalesSort::NetAsc => col(sales::Column::NetCents),
    }
}

fn cursor_of(sort: SalesSort, row: &DeskSale) -> String {
    let key = match sort {
        SalesSort::DateDesc | SalesSort::DateAsc => row.sale_date.to_string(),
        SalesSort::CloseAsc | SalesSort::CloseDesc => row.expected_close.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).expect("date")).to_string(),
        SalesSort::NetDesc | SalesSort::NetAsc => row.net.0.to_string(),
    };
    format!("{}~{key}~{}", sort.code(), row.id.0)
}

/// The (key, id) a page starts after; a cursor written for another sort is refused.
fn parse_cursor(sort: SalesSort, text: &str) -> AppResult<(sea_orm::Value, i64)> {
    let bad = || AppError::BadRequest("cursor".into());
    let mut parts = text.splitn(3, '~');
    let (code, key, id) = (parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?);
    if code != sort.code() {
        return Err(bad());
    }
    let id: i64 = id.parse().map_err(|_| bad())?;
    let key = match sort {
        SalesSort::NetDesc | SalesSort::NetAsc => key.parse::<i64>().map_err(|_| bad())?.into(),
        _ => NaiveDate::parse_from_str(key, "%Y-%m-%d").map_err(|_| bad())?.into(),
    };
    Ok((key, id))
}

/// One page of `query` in the filter's order, starting after the cursor (and one row more, to
/// know whether a next page exists).
async fn page(db: &impl ConnectionTrait, query: Select<sales::Entity>, f: &Parsed, after: Option<&str>) -> AppResult<Vec<DeskSale>> {
    let key = sort_key(f.sort, f.dated());
    let mut query = query;
    if let Some(after) = after.map(str::trim).filter(|a| !a.is_empty()) {
        let (at_key, at_id) = parse_cursor(f.sort, after)?;
        let row = Expr::tuple([key.clone(), col(sales::Column::Id)]);
        let at = Expr::tuple([Expr::val(at_key), Expr::val(at_id)]);
        query = query.filter(if f.sort.descending() { row.lt(at) } else { row.gt(at) });
    }
    let order = if f.sort.descending() { Order::Desc } else { Order::Asc };
    listed(db, query, key, order, SALES_LIST_PAGE + 1).await
}

/// One page of the sales list, with the totals of everything the filter keeps.
pub async fn list(db: &DatabaseConnection, actor: &CurrentUser, filter: &SalesFilter, after: Option<&str>, today: NaiveDate) -> AppResult<SalesList> {
    let f = parse(filter)?;
    let scope = visible_sellers(db, actor).await?;
    let under = filed_under(db, f.category).await?;
    let all = filtered(&scope, &f, under.clone(), today);
    // The page, its totals and the currency do not depend on one another: read at once.
    let totals = async {
        match cell_sums(db, &scope, &f, under).await? {
            Some(totals) => Ok(totals),
            None => sums(db, all.clone()).await,
        }
    };
    let (mut rows, totals, settings) = tokio::try_join!(page(db, all.clone(), &f, after), totals, sale_settings(db))?;
    let next = if rows.len() as u64 > SALES_LIST_PAGE {
        rows.truncate(SALES_LIST_PAGE as usize);
        rows.last().map(|r| cursor_of(f.sort, r))
    } else {
        None
    };
    Ok(SalesList { rows, next, totals, currency: settings.currency })
}

// ---------------------------------------------------------------- the board

/// The pipeline board under the list's filter: each open stage, then won and lost this month.
pub async fn board(db: &DatabaseConnection, actor: &CurrentUser, filter: &SalesFilter, today: NaiveDate) -> AppResult<Board> {
    let f = parse(filter)?;
    let scope = visible_sellers(db, actor).await?;
    let all = filtered(&scope, &f, filed_under(db, f.category).await?, today);
    let month = first_of_month(today);
    // Each column's totals and cards, every column at once: the board waits for the slowest
    // query, not for the sum of ten.
    let column = |stage: Stage| {
        let sales = if stage.is_open() {
            all.clone().filter(col(sales::Column::Stage).eq(stage.code()))
        } else {
            all.clone().filter(closed_between(stage, month, month + Months::new(1)))
        };
        let key = sort_key(SalesSort::CloseAsc, f.dated());
        async move {
            let (totals, cards) = tokio::try_join!(sums(db, sales.clone()), listed(db, sales, key, Order::Asc, BOARD_CARDS))?;
            AppResult::Ok(BoardColumn { stage, totals, cards })
        }
    };
    let (columns, settings) = tokio::try_join!(futures_util::future::try_join_all(Stage::ALL.map(column)), sale_settings(db))?;
    Ok(Board { columns, currency: settings.currency })
}
