//! The workbook's download, with its progress beside the button.

use super::*;

pub(crate) fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        window().performance().map(|p| p.now()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Downloads the workbook with progress shown beside the button (before hydration the plain link
/// downloads it all the same).
#[allow(unused_variables)]
pub(crate) fn start_download(ev: leptos::ev::MouseEvent, url: String, progress: RwSignal<String>, lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        ev.prevent_default();
        progress.set(Msg::RepDownloading.text(lang).to_string());
        let _ = xhr.open("GET", &url);
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Blob);
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            let mb = |bytes: f64| format!("{:.1} MB", bytes / 1_000_000.0);
            let text = if e.length_computable() && e.total() > 0.0 {
                format!("{} {} / {} ({:.0}%)", Msg::RepDownloading.text(lang), mb(e.loaded()), mb(e.total()), e.loaded() / e.total() * 100.0)
            } else {
                format!("{} {}", Msg::RepDownloading.text(lang), mb(e.loaded()))
            };
            progress.set(text);
        });
        xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
        let request = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = request.status().unwrap_or(0);
            if status != 200 {
                let err = match status {
                    401 => crate::error::AppError::Unauthenticated,
                    403 => crate::error::AppError::Forbidden,
                    429 => crate::error::AppError::Busy,
                    _ => crate::error::AppError::Internal,
                };
                progress.set(err.message(lang));
                return;
            }
            let name = request
                .get_response_header("content-disposition")
                .ok()
                .flatten()
                .and_then(|h| h.split("filename=\"").nth(1).map(|n| n.trim_end_matches('"').to_string()))
                .unwrap_or_else(|| "vendite.xlsx".to_string());
            let Some(blob) = request.response().ok().and_then(|r| r.dyn_into::<web_sys::Blob>().ok()) else { return };
            let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
            let document = document();
            if let Some(a) = document.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
                a.set_href(&href);
                a.set_download(&name);
                a.click();
            }
            // Revoked later: revoking at once can cancel the download the click just started.
            set_timeout(
                move || {
                    let _ = web_sys::Url::revoke_object_url(&href);
                },
                std::time::Duration::from_secs(60),
            );
            let size = blob.size() / 1_000_000.0;
            progress.set(format!("{} ({size:.1} MB)", Msg::RepDownloaded.text(lang)));
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let _ = xhr.send();
    }
}
