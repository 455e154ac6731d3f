//! The tags page (managers and admins, from the address book): every tag with its number of
//! contacts; a user tag can be renamed, merged into another (each contact keeps one copy) or
//! deleted. The two system tags are listed and keep their names.

use super::{DeleteTag, MergeTags, RenameTag, TagUsage, list_tag_usage};
use crate::i18n::Msg;
use crate::ui::{Erase, Refusal, refused, use_lang};
use leptos::prelude::*;

#[component]
pub fn TagsPage() -> impl IntoView {
    let lang = use_lang();
    let rename = ServerAction::<RenameTag>::new();
    let merge = ServerAction::<MergeTags>::new();
    let delete = ServerAction::<DeleteTag>::new();
    let tags = Resource::new(move || (rename.version().get(), merge.version().get(), delete.version().get()), |_| list_tag_usage());
    let error = Signal::derive(move || {
        rename
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| merge.value().get().and_then(|r| r.err()))
            .or_else(|| delete.value().get().and_then(|r| r.err()))
    });
    let confirming = RwSignal::new(None::<i64>);
    view! {
        <section class="panel" id="tags-page">
            <div class="panel-head">
                <h1>{Msg::TagsTitle.text(lang)}</h1>
                <a href="/contacts">{Msg::TagsBack.text(lang)}</a>
            </div>
            <p class="muted">{Msg::TagsIntro.text(lang)}</p>
            <Refusal error=error />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match tags.await {
                        Ok(all) => {
                            let targets: Vec<(i64, String)> = all.iter().filter(|t| !t.tag.system).map(|t| (t.tag.id.0, t.tag.name.clone())).collect();
                            view! {
                                <div class="table-scroll">
                                    <table class="data" id="tags-table">
                                        <thead><tr>
                                            <th>{Msg::FieldName.text(lang)}</th>
                                            <th class="num">{Msg::TagsContacts.text(lang)}</th>
                                            <th>{Msg::Actions.text(lang)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {all.into_iter().map(|t| view! { <TagRow usage=t targets=targets.clone() rename=rename merge=merge delete=delete confirming=confirming /> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.erase()
                        }
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TagRow(
    usage: TagUsage,
    targets: Vec<(i64, String)>,
    rename: ServerAction<RenameTag>,
    merge: ServerAction<MergeTags>,
    delete: ServerAction<DeleteTag>,
    confirming: RwSignal<Option<i64>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = usage.tag.id.0;
    let name = usage.tag.name.clone();
    let actions = if usage.tag.system {
        view! { <span class="muted small">{Msg::TagsSystem.text(lang)}</span> }.erase()
    } else {
        let others: Vec<(i64, String)> = targets.into_iter().filter(|(other, _)| *other != id).collect();
        let has_others = !others.is_empty();
        let current = name.clone();
        view! {
            <ActionForm action=rename attr:class="inline rename-tag">{view! {
                <input type="hidden" name="id" value=id />
                <input type="text" name="name" value=current aria-label=Msg::TagsNewName.text(lang) required />
                <button type="submit">{Msg::TagsRename.text(lang)}</button>
            }.erase()}</ActionForm>
            {has_others.then(|| view! {
                <ActionForm action=merge attr:class="inline merge-tag">{view! {
                    <input type="hidden" name="from" value=id />
                    <select name="into" aria-label=Msg::TagsMergeInto.text(lang)>
                        {others.into_iter().map(|(other, label)| view! { <option value=other>{label}</option> }).collect_view()}
                    </select>
                    <button type="submit">{Msg::TagsMerge.text(lang)}</button>
                }.erase()}</ActionForm>
            })}
            {move || if confirming.get() == Some(id) {
                view! {
                    <span class="confirm">
                        {Msg::TagsDeleteConfirm.text(lang)}" "
                        <button type="button" class="danger confirm-delete-tag" on:click=move |_| { delete.dispatch(DeleteTag { id }); confirming.set(None); }>{Msg::SalesDeleteYes.text(lang)}</button>
                        <button type="button" on:click=move |_| confirming.set(None)>{Msg::Cancel.text(lang)}</button>
                    </span>
                }.erase()
            } else {
                view! { <button type="button" class="delete-tag" on:click=move |_| confirming.set(Some(id))>{Msg::Delete.text(lang)}</button> }.erase()
            }}
        }.erase()
    };
    view! {
        <tr data-tag=name.clone()>
            <td>{name.clone()}</td>
            <td class="num">{usage.contacts}</td>
            <td class="actions tag-actions">{actions}</td>
        </tr>
    }
}
