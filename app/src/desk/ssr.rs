//! The desk's queries. Every one starts from the user's seller scope (`visible_sellers`), so a
//! member's home page, list and counts hold only his own sellers' sales. "Today" is a parameter:
//! the tests fix it.

use super::{
    BOARD_CARDS, Board, BoardColumn, CLOSING_SOON_DAYS, DeskSale, HOME_LIST, Home, ListTotals, SALES_LIST_PAGE, SalesFilter, SalesList, SalesSort,
    SellerFigures, WizardProgress,
};
use crate::auth::CurrentUser;
use crate::config::Step;
use crate::config::ssr::{overview, sale_settings};
use crate::contacts::ContactId;
use crate::contacts::ssr::like_pattern;
use crate::db::entities::{categories, contacts, products, sales, sellers};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::money::Money;
use crate::reports::Month;
use crate::sales::ssr::{SellerScope, visible_sellers};
use crate::sales::{SaleId, Stage};
use crate::sellers::SellerId;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query, SimpleExpr};
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

fn open() -> SimpleExpr {
    col(sales::Column::Stage).is_in(Stage::OPEN.map(|s| s.code()))
}

/// The expected close, the undated last: the expression of `idx_sales_close_key_id`, so a
/// filter or an order on it walks the index instead of every sale.
fn close_key() -> Expr {
    Expr::cust("COALESCE(sales.expected_close, '9999-12-31')")
}

/// Open, with an expected close before today. (On the plain column: the sales list filters and
/// sorts the overdue deals other ways, where walking the close-key index would be slower.)
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
    Ok(ListTotals { count: count as u64, net: Money(net), weighted: Money::from_weighted(weighted as i128) })
}

async fn listed(db: &impl ConnectionTrait, query: Select<sales::Entity>) -> AppResult<Vec<DeskSale>> {
    Ok(rows_of(query).into_model::<DeskRow>().all(db).await?.into_iter().map(DeskSale::from).collect())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("day 1 exists")
}

/// One seller's figures on the home page, from one grouped pass over the sales.
#[derive(Debug, Default, FromQueryResult)]
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

/// Every figure of the home page per seller in the scope: the sums from the report cells kept
/// with every sale (`reports::ssr::cells`: a few thousand rows, not every sale), the overdue
/// counts from the sales (day by day: the cells know months) along the expected-close index.
async fn seller_sums(db: &DatabaseConnection, scope: &SellerScope, today: NaiveDate) -> AppResult<Vec<SellerSums>> {
    let month = Month::of(today).0;
    let open_stages = "stage IN ('lead','negotiation','proposal')";
    let sellers = match scope {
        SellerScope::All => String::new(),
        SellerScope::Only(ids) if ids.is_empty() => return Ok(Vec::new()),
        SellerScope::Only(ids) => format!(" AND seller_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
    };
    let sum = |condition: &str, value: &str| format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN {value} ELSE 0 END), 0) AS BIGINT)");
    let won_in = |m: i32| format!("stage = 'won' AND month = {m}");
    let sql = format!(
        "SELECT seller_id, {} AS won_n, {} AS won, {} AS won_year_ago, {} AS open_n, {} AS open, {} AS open_weighted, CAST(0 AS BIGINT) AS overdue \
         FROM report_cells WHERE n <> 0{sellers} GROUP BY seller_id",
        sum(&won_in(month), "n"),
        sum(&won_in(month), "net"),
        sum(&won_in(month - 12), "net"),
        sum(open_stages, "n"),
        sum(open_stages, "net"),
        sum(open_stages, "weighted"),
    );
    let mut sums = SellerSums::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await?;
    // On the close key, so the count walks the expected-close index.
    let overdue: Vec<(i64, i64)> = scope
        .filter(sales::Entity::find())
        .select_only()
        .column(sales::Column::SellerId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(open())
        .filter(close_key().lt(today))
        .group_by(sales::Column::SellerId)
        .into_tuple()
        .all(db)
        .await?;
    for (seller, n) in overdue {
        match sums.iter_mut().find(|s| s.seller_id == seller) {
            Some(s) => s.overdue = n,
            None => sums.push(SellerSums { seller_id: seller, overdue: n, ..Default::default() }),
        }
    }
    Ok(sums)
}

/// The home page of `actor` on `today`: his own sellers' figures, or the team's for managers.
pub async fn home(db: &DatabaseConnection, actor: &CurrentUser, today: NaiveDate) -> AppResult<Home> {
    let scope = visible_sellers(db, actor).await?;
    let team = actor.role.is_manager();
    let per_seller = seller_sums(db, &scope, today).await?;
    let total = |f: fn(&SellerSums) -> i64| per_seller.iter().map(|s| f(s) as i128).sum::<i128>();
    let money = |f: fn(&SellerSums) -> i64| Money(total(f) as i64);
    // On the close key: the index walks the oldest first and stops at the tenth open one.
    let overdue_first = Condition::all().add(open()).add(close_key().lt(today));
    let overdue_list =
        listed(db, scoped(&scope).filter(overdue_first).order_by(close_key(), Order::Asc).order_by_asc(sales::Column::Id).limit(HOME_LIST)).await?;
    let soon = today + chrono::Days::new(CLOSING_SOON_DAYS as u64);
    let closing_soon = listed(
        db,
        scoped(&scope)
            .filter(open())
            .filter(close_key().gte(today))
            .filter(close_key().lte(soon))
            .order_by(close_key(), Order::Asc)
            .order_by_asc(sales::Column::Id)
            .limit(HOME_LIST),
    )
    .await?;
    let mut recent = scoped(&scope);
    if !team {
        recent = recent.filter(Condition::any().add(col(sales::Column::CreatedBy).eq(actor.id.0)).add(col(sales::Column::UpdatedBy).eq(actor.id.0)));
    }
    let recent = listed(db, recent.order_by_desc(sales::Column::UpdatedAt).order_by_desc(sales::Column::Id).limit(HOME_LIST)).await?;
    let (sellers, wizard) = if team { (seller_figures(db, &per_seller).await?, wizard(db, actor).await?) } else { (Vec::new(), None) };
    let allowed = match &scope {
        SellerScope::All => None,
        SellerScope::Only(ids) => Some(ids.iter().copied().collect()),
    };
    let attainment = crate::targets::ssr::attainment_of(db, &allowed, today).await?;
    Ok(Home {
        today,
        currency: sale_settings(db).await?.currency,
        team,
        won_month: money(|s| s.won),
        won_month_count: total(|s| s.won_n) as u64,
        won_last_year: money(|s| s.won_year_ago),
        pipeline: money(|s| s.open),
        pipeline_count: total(|s| s.open_n) as u64,
        // Rounded once, over the whole team.
        weighted: Money::from_weighted(total(|s| s.open_weighted)),
        overdue_count: total(|s| s.overdue) as u64,
        overdue: overdue_list,
        closing_soon,
        recent,
        sellers,
        attainment,
        wizard,
    })
}

/// Every seller that is active or has figures: won this month, open pipeline, overdue deals.
async fn seller_figures(db: &DatabaseConnection, sums: &[SellerSums]) -> AppResult<Vec<SellerFigures>> {
    let figures: HashMap<i64, &SellerSums> = sums.iter().map(|s| (s.seller_id, s)).collect();
    let all = sellers::Entity::find().order_by_asc(sellers::Column::Name).all(db).await?;
    Ok(all
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
        .collect())
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
async fn filtered(db: &impl ConnectionTrait, scope: &SellerScope, f: &Parsed, today: NaiveDate) -> AppResult<Select<sales::Entity>> {
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
    if let Some(category) = f.category {
        let all = categories::Entity::find().all(db).await?;
        let filed = Query::select()
            .column(products::Column::Id)
            .from(products::Entity)
            .and_where(products::Column::CategoryId.is_in(crate::catalog::ssr::subtree(&all, category)))
            .to_owned();
        query = query.filter(sales::Column::ProductId.in_subquery(filed));
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
    Ok(query)
}

/// The sort key of a row as SQL, and as the cursor writes it.
fn sort_key(sort: SalesSort) -> Expr {
    match sort {
        SalesSort::DateDesc | SalesSort::DateAsc => col(sales::Column::SaleDate),
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

/// One page of `query` in the filter's order, starting after the cursor.
fn paged(query: Select<sales::Entity>, sort: SalesSort, after: Option<&str>) -> AppResult<Select<sales::Entity>> {
    let mut query = query;
    if let Some(after) = after.map(str::trim).filter(|a| !a.is_empty()) {
        let (key, id) = parse_cursor(sort, after)?;
        let row = Expr::tuple([sort_key(sort), col(sales::Column::Id)]);
        let at = Expr::tuple([Expr::val(key), Expr::val(id)]);
        query = query.filter(if sort.descending() { row.lt(at) } else { row.gt(at) });
    }
    let order = if sort.descending() { Order::Desc } else { Order::Asc };
    Ok(query.order_by(sort_key(sort), order.clone()).order_by(col(sales::Column::Id), order).limit(SALES_LIST_PAGE + 1))
}

/// One page of the sales list, with the totals of everything the filter keeps.
pub async fn list(db: &DatabaseConnection, actor: &CurrentUser, filter: &SalesFilter, after: Option<&str>, today: NaiveDate) -> AppResult<SalesList> {
    let f = parse(filter)?;
    let scope = visible_sellers(db, actor).await?;
    let all = filtered(db, &scope, &f, today).await?;
    let mut rows = listed(db, paged(all.clone(), f.sort, after)?).await?;
    let next = if rows.len() as u64 > SALES_LIST_PAGE {
        rows.truncate(SALES_LIST_PAGE as usize);
        rows.last().map(|r| cursor_of(f.sort, r))
    } else {
        None
    };
    Ok(SalesList { rows, next, totals: sums(db, all).await?, currency: sale_settings(db).await?.currency })
}

// ---------------------------------------------------------------- the board

/// The pipeline board under the list's filter: each open stage, then won and lost this month.
pub async fn board(db: &DatabaseConnection, actor: &CurrentUser, filter: &SalesFilter, today: NaiveDate) -> AppResult<Board> {
    let f = parse(filter)?;
    let scope = visible_sellers(db, actor).await?;
    let all = filtered(db, &scope, &f, today).await?;
    let month = first_of_month(today);
    let mut columns = Vec::with_capacity(Stage::ALL.len());
    for stage in Stage::ALL {
        let column = if stage.is_open() {
            all.clone().filter(col(sales::Column::Stage).eq(stage.code()))
        } else {
            all.clone().filter(closed_between(stage, month, month + Months::new(1)))
        };
        let totals = sums(db, column.clone()).await?;
        let cards =
            listed(db, column.order_by(sort_key(SalesSort::CloseAsc), Order::Asc).order_by(col(sales::Column::Id), Order::Asc).limit(BOARD_CARDS))
                .await?;
        columns.push(BoardColumn { stage, totals, cards });
    }
    Ok(Board { columns, currency: sale_settings(db).await?.currency })
}
