//! The categories and products pages (steps 3 and 4 of the configuration).

use super::*;
use crate::config::Step;
use crate::config::pages::StepPage;
use crate::error::{AppError, Field};
use crate::i18n::Msg;
use crate::ui::{Erase, FieldError, FormError, refused, use_lang, use_user};
use crate::ui::{Outcome, can_edit, error_of, last_outcome, reset_on_success, saved};
use leptos::prelude::*;

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
        <StepPage step=Step::Categories intro=Msg::CategoriesIntro refresh=changes>
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    tree.await.map(|nodes| {
                        if nodes.is_empty() {
                            return view! { <p class="empty">{Msg::CategoryNone.text(lang)}</p> }.erase();
                        }
                        let all = nodes.clone();
                        view! {
                            <ul class="category-tree" id="category-tree">
                                {nodes.into_iter().map(|node| view! {
                                    <CategoryRow node=node all=all.clone() edit=edit rename=rename moved=moved reorder=reorder delete=delete />
                                }).collect_view()}
                            </ul>
                        }.erase()
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
        {edit.then(|| view! {
            <section class="panel narrow">
                <h2>{Msg::CategoryNew.text(lang)}</h2>
                <ActionForm action=create node_ref=create_form attr:id="new-category-form">{view! {
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
                }.erase()}</ActionForm>
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
                    <ActionForm action=reorder attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="icon" title=Msg::MoveUp.text(lang) aria-label=Msg::MoveUp.text(lang)>"↑"</button>
                    }.erase()}</ActionForm>
                    <ActionForm action=reorder attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="icon" title=Msg::MoveDown.text(lang) aria-label=Msg::MoveDown.text(lang)>"↓"</button>
                    }.erase()}</ActionForm>
                    <ActionForm action=rename attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="text" name="name" value=name required aria-label=Msg::FieldName.text(lang) />
                        <button type="submit">{Msg::Rename.text(lang)}</button>
                    }.erase()}</ActionForm>
                    <ActionForm action=moved attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <select name="parent" aria-label=Msg::FieldParent.text(lang)>
                            <option value="" selected=node.parent.is_none()>{Msg::CategoryRoot.text(lang)}</option>
                            {category_options(&others, node.parent)}
                        </select>
                        <button type="submit">{Msg::Move.text(lang)}</button>
                    }.erase()}</ActionForm>
                    <ActionForm action=delete attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                    }.erase()}</ActionForm>
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
        <StepPage step=Step::Products intro=Msg::ProductsIntro refresh=changes>
            {use_user().is_some_and(|u| u.role.is_manager()).then(|| view! {
                <p><a href="/import/export/products.xlsx" id="export-products" download>{Msg::ExportXlsx.text(lang)}</a></p>
            })}
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
                            return view! { <p class="empty">{Msg::ProductNone.text(lang)}</p> }.erase();
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
                                                        <ActionForm action=active attr:class="inline">{view! {
                                                            <input type="hidden" name="id" value=row.id.0 />
                                                            <input type="hidden" name="version" value=row.version />
                                                            <input type="hidden" name="active" value=(!row.active).to_string() />
                                                            <button type="submit" class="toggle-active">{toggle.text(lang)}</button>
                                                        }.erase()}</ActionForm>
                                                    </td>
                                                })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.erase()
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
        {move || editing.get().map(|row| view! {
            <section class="panel" id="edit-product">
                <h2>{Msg::ProductEdit.text(lang)}": "{row.code.clone()}</h2>
                <ActionForm action=update attr:id="edit-product-form">{view! {
                    <input type="hidden" name="id" value=row.id.0 />
                    <input type="hidden" name="version" value=row.version />
                    <ProductFields initial=Some(row.clone()) categories=categories error=update_error />
                    <FormError error=update_error />
                    <div class="buttons">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>{Msg::Save.text(lang)}</button>
                        <button type="button" on:click=move |_| editing.set(None)>{Msg::Cancel.text(lang)}</button>
                    </div>
                }.erase()}</ActionForm>
            </section>
        })}
        {edit.then(|| view! {
            <section class="panel">
                <h2>{Msg::ProductNew.text(lang)}</h2>
                <ActionForm action=create node_ref=create_form attr:id="new-product-form">{view! {
                    <ProductFields initial=None categories=categories error=create_error />
                    <FormError error=create_error />
                    <button type="submit" class="primary" disabled=move || create.pending().get()>{Msg::ProductCreate.text(lang)}</button>
                }.erase()}</ActionForm>
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
