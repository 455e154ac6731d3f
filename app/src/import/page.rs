//! The import page (`/import`, managers and admins): choose what and which file, check it (the
//! upload shows its progress), fix the columns' mapping, read the report, import everything or the
//! valid rows, and undo a past import.

use super::*;
use crate::error::field_label;
use crate::form::url_encode;
use crate::ui::{Erase, Refusal, refused, use_lang};

/// Uploads the file to `POST /import/upload` with the choices in the query string and hands the
/// answer to `done` (the report, or the refusal). The upload's progress goes to `progress`.
#[allow(unused_variables)]
fn upload(query: String, progress: RwSignal<Option<f64>>, done: impl Fn(Result<ImportReport, AppError>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let file = document()
            .get_element_by_id("import-file")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            done(Err(AppError::BadFile(SourceError::Empty)));
            return;
        };
        if file.size() > MAX_BYTES as f64 {
            done(Err(AppError::BadFile(SourceError::TooLarge)));
            return;
        }
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        let name = url_encode(&file.name());
        let _ = xhr.open("POST", &format!("/import/upload?{query}&name={name}"));
        let _ = xhr.set_request_header("content-type", "application/octet-stream");
        progress.set(Some(0.0));
        if let Ok(up) = xhr.upload() {
            let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some(e.loaded() / e.total()));
                }
            });
            up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        // Both endings of the request report through `done`.
        let done = std::rc::Rc::new(done);
        let on_fail = done.clone();
        let request = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            let status = request.status().unwrap_or(0);
            let text = request.response_text().ok().flatten().unwrap_or_default();
            let result = if status == 200 {
                serde_json::from_str::<ImportReport>(&text).map_err(|e| AppError::Transport(e.to_string()))
            } else {
                Err(serde_json::from_str::<AppError>(&text).unwrap_or(match status {
                    401 => AppError::Unauthenticated,
                    403 => AppError::Forbidden,
                    413 => AppError::BadFile(SourceError::TooLarge),
                    _ => AppError::Internal,
                }))
            };
            done(result);
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            on_fail(Err(AppError::Transport("upload".into())));
        });
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let _ = xhr.send_with_opt_blob(Some(&file));
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let kind = RwSignal::new(ImportKind::Contacts);
    let sheet = RwSignal::new(String::new());
    let add_tag = RwSignal::new(false);
    // The columns' fields once a check has shown them; `None` until then (recognised from headers).
    let mapping = RwSignal::new(None::<Vec<Option<String>>>);
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<AppError>);
    let progress = RwSignal::new(None::<f64>);
    let undo = ServerAction::<UndoBatch>::new();
    let refresh = RwSignal::new(0u32);
    let batches = Resource::new(move || (refresh.get(), undo.version().get()), |_| list_batches());

    let send = move |mode: &'static str| {
        error.set(None);
        let mut query = format!("kind={}&mode={mode}", kind.get_untracked().code());
        let sheet = sheet.get_untracked();
        if !sheet.trim().is_empty() {
            query.push_str(&format!("&sheet={}", url_encode(sheet.trim())));
        }
        if let Some(map) = mapping.get_untracked() {
            query.push_str(&format!("&map={}", map.iter().map(|f| f.clone().unwrap_or_default()).collect::<Vec<_>>().join(",")));
        }
        if add_tag.get_untracked() {
            query.push_str("&tag=1");
        }
        upload(query, progress, move |result| match result {
            Ok(r) => {
                mapping.set(Some(r.columns.iter().map(|c| c.field.clone()).collect()));
                if r.written {
                    refresh.update(|n| *n += 1);
                }
                report.set(Some(r));
            }
            Err(e) => error.set(Some(e)),
        });
    };
    // A new kind or file starts over: the mapping is read from the headers again.
    let reset = move || {
        mapping.set(None);
        report.set(None);
        error.set(None);
    };
    view! {
        <section class="panel import">
            <h1>{Msg::ImportTitle.text(lang)}</h1>
            <p class="intro">{Msg::ImportIntro.text(lang)}</p>
            <p class="hint">{Msg::ImportLimits.text(lang)}</p>
            <form id="import-form" class="import-form" on:submit=move |ev| { ev.prevent_default(); send("check"); }>
                <label>{Msg::ImportKind.text(lang)}
                    <select name="kind" on:change=move |ev| { kind.set(ImportKind::from_code(&event_target_value(&ev)).unwrap_or(ImportKind::Contacts)); reset(); }>
                        {ImportKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label().text(lang)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{Msg::ImportFile.text(lang)}
                    <input type="file" id="import-file" name="file" accept=".csv,.txt,.xlsx,.xls,.ods" required on:change=move |_| reset() />
                </label>
                <label>{Msg::ImportSheet.text(lang)}
                    <input type="text" name="sheet" prop:value=move || sheet.get() on:input=move |ev| sheet.set(event_target_value(&ev)) />
                </label>
                <Show when=move || kind.get() == ImportKind::Sales>
                    <label class="check">
                        <input type="checkbox" name="tag" prop:checked=move || add_tag.get() on:change=move |ev| add_tag.set(event_target_checked(&ev)) />
                        {Msg::ImportAddSalesTag.text(lang)}
                    </label>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="primary" id="import-check" disabled=move || progress.get().is_some()>{Msg::ImportCheck.text(lang)}</button>
                    <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.mode == ImportMode::DryRun && r.creates + r.updates > 0))>
                        <button type="button" id="import-all" disabled=move || progress.get().is_some() || report.with(|r| r.as_ref().is_some_and(|r| r.bad > 0))
                            on:click=move |_| send("all")>{Msg::ImportAll.text(lang)}</button>
                        <button type="button" id="import-valid" disabled=move || progress.get().is_some() on:click=move |_| send("valid")>{Msg::ImportValidOnly.text(lang)}</button>
                    </Show>
                </div>
                {move || progress.get().map(|p| view! {
                    <p class="upload-progress">{Msg::ImportUploading.text(lang)}" "
                        <progress max="100" value=(p * 100.0).round() aria-label=Msg::ImportUploading.text(lang)></progress>
                    </p>
                })}
            </form>
            <Refusal error=Signal::derive(move || error.get()) />
            {move || report.get().map(|r| view! { <ReportView report=r kind=kind mapping=mapping /> })}
        </section>
        <section class="panel">
            <h2>{Msg::ImportBatches.text(lang)}</h2>
            <Refusal error=Signal::derive(move || undo.value().get().and_then(|r| r.err())) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    batches.await.map(|list| if list.is_empty() {
                        view! { <p class="empty">{Msg::ImportNoBatches.text(lang)}</p> }.erase()
                    } else {
                        view! { <BatchTable list=list undo=undo /> }.erase()
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </section>
        <crate::exports::ExportLog />
    }
}

#[component]
fn ReportView(report: ImportReport, kind: RwSignal<ImportKind>, mapping: RwSignal<Option<Vec<Option<String>>>>) -> impl IntoView {
    let lang = use_lang();
    let fields = kind.get_untracked().fields();
    let outcome = match (report.mode, report.written) {
        (ImportMode::DryRun, _) => Msg::ImportDryRunDone,
        (_, true) => Msg::ImportWritten,
        (_, false) => Msg::ImportNothingWritten,
    };
    let notice = if report.written || report.bad == 0 { "notice ok" } else { "notice warn" };
    let count = |id: &'static str, label: Msg, n: u64| {
        view! { <div class="figure" id=id><span class="figure-label">{label.text(lang)}</span><strong class="figure-value">{n}</strong></div> }
    };
    let columns = report.columns.clone();
    view! {
        <p class=notice role="status" id="import-outcome">{outcome.text(lang)}</p>
        <div class="figures" id="import-counts">
            {count("import-rows", Msg::ImportRows, report.rows)}
            {count("import-creates", Msg::ImportCreates, report.creates)}
            {count("import-updates", Msg::ImportUpdates, report.updates)}
            {count("import-unchanged", Msg::ImportUnchanged, report.unchanged)}
            {count("import-bad", Msg::ImportBad, report.bad)}
        </div>
        <h2>{Msg::ImportMapping.text(lang)}</h2>
        <div class="table-scroll">
            <table class="data" id="import-preview">
                <caption>{Msg::ImportPreview.text(lang)}</caption>
                <thead>
                    <tr>
                        <th>{Msg::ImportLine.text(lang)}</th>
                        {columns.iter().enumerate().map(|(i, c)| {
                            let current = c.field.clone().unwrap_or_default();
                            view! {
                                <th>
                                    <span class="header">{c.header.clone()}</span>
                                    <select class="column-field" data-column=i aria-label=format!("{} {}", Msg::ImportMapping.text(lang), c.header)
                                        on:change=move |ev| {
                                            let value = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
                                            mapping.update(|m| if let Some(m) = m.as_mut() && let Some(slot) = m.get_mut(i) { *slot = value; });
                                        }>
                                        <option value="" selected=current.is_empty()>{Msg::ImportIgnored.text(lang)}</option>
                                        {fields.iter().map(|f| view! { <option value=f.code selected=current == f.code>{f.label.text(lang)}</option> }).collect_view()}
                                    </select>
                                </th>
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {report.preview.iter().map(|(line, cells)| view! {
                        <tr><th scope="row">{*line}</th>{cells.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!report.errors.is_empty()).then(|| view! {
            <h2>{Msg::ImportBad.text(lang)}</h2>
            <div class="table-scroll">
                <table class="data" id="import-errors">
                    <thead><tr><th>{Msg::ImportLine.text(lang)}</th><th>{Msg::ImportFieldColumn.text(lang)}</th><th>{Msg::ImportError.text(lang)}</th></tr></thead>
                    <tbody>
                        {report.errors.iter().map(|e| {
                            let field = e.error.field().map(|f| field_label(f).text(lang)).unwrap_or("—");
                            view! { <tr data-line=e.line><td class="num">{e.line}</td><td>{field}</td><td>{e.error.message(lang)}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {report.batch.filter(|_| report.bad > 0).map(|id| view! {
            <p><a href=format!("/import/batches/{id}/rejected.xlsx") id="import-rejected" download>{Msg::ImportRejectedDownload.text(lang)}</a></p>
        })}
    }
}

#[component]
fn BatchTable(list: Vec<Batch>, undo: ServerAction<UndoBatch>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-scroll">
            <table class="data" id="import-batches">
                <thead><tr>
                    <th>{Msg::ImportFile.text(lang)}</th>
                    <th>{Msg::ImportKind.text(lang)}</th>
                    <th>{Msg::ImportBy.text(lang)}</th>
                    <th class="num">{Msg::ImportCreates.text(lang)}</th>
                    <th class="num">{Msg::ImportUpdates.text(lang)}</th>
                    <th class="num">{Msg::ImportBad.text(lang)}</th>
                    <th>{Msg::Actions.text(lang)}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|b| view! {
                        <tr data-batch=b.id data-state=b.state.code() class:inactive=b.state == BatchState::Undone>
                            <td>{b.file_name.clone()}<div class="muted small">{lang.date(b.at.date_naive())}</div></td>
                            <td>{b.kind.label().text(lang)}</td>
                            <td>{b.user.clone()}</td>
                            <td class="num">{b.created}</td>
                            <td class="num">{b.updated}</td>
                            <td class="num">{b.rejected}
                                {(b.rejected > 0).then(|| view! { " " <a href=format!("/import/batches/{}/rejected.xlsx", b.id) download>".xlsx"</a> })}
                            </td>
                            <td>
                                {match b.state {
                                    BatchState::Undone => view! { <span class="badge">{Msg::ImportUndone.text(lang)}</span> }.erase(),
                                    BatchState::Running => view! { <span class="badge">{Msg::ImportInProgress.text(lang)}</span> }.erase(),
                                    BatchState::Finished | BatchState::Interrupted => view! {
                                        {(b.state == BatchState::Interrupted).then(|| view! { <span class="badge warn">{Msg::ImportInterrupted.text(lang)}</span> " " })}
                                        <ActionForm action=undo attr:class="inline">{view! {
                                            <input type="hidden" name="id" value=b.id />
                                            <button type="submit" class="danger">{Msg::ImportUndo.text(lang)}</button>
                                        }.erase()}</ActionForm>
                                    }.erase(),
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_travel_whole_in_the_query_string() {
        assert_eq!(super::url_encode("Vendite 2025.xlsx"), "Vendite%202025.xlsx");
        assert_eq!(super::url_encode("Q1+Q2 & più=#"), "Q1%2BQ2%20%26%20pi%C3%B9%3D%23");
    }
}
