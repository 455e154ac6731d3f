//! The WASM entry point: hydrates the server-rendered page.

// Monomorphising the Vendita tab's nested view types goes deeper than the default 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The release site aborts at once on a panic (`-Cpanic=immediate-abort`, `release_site` in
    // scripts/env.sh): no hook would run there, so only debug builds carry it.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Hydration waits for the page's lazily loaded chunk (a lazy route), so it finishes later
    // than this call: what `leptos::mount::hydrate_lazy` does, and then mark the body.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("the page has a body");
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // The page has become interactive: the browser tests wait for this, and `app::shell::Page`
        // reads it (a page drawn after it is a move within the browser, whose session it checks).
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
