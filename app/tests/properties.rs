//! Property tests: whatever a user types, parsing and the sale arithmetic never panic and never
//! round silently; whatever a form sends, a refusal is a field error and writes nothing.

mod common;

use app::auth::Role;
use app::error::AppError;
use app::money::{Money, Percent, Quantity, line_totals};
use app::users::NewUser;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,40}") {
        let _ = Money::parse(&text);
        let _ = Quantity::parse(&text);
        let _ = Percent::parse(&text);
    }

    #[test]
    fn parsing_number_like_text_never_panics(text in "[-+€ ]{0,2}[0-9.,]{0,30}%?") {
        let _ = Money::parse(&text);
        let _ = Quantity::parse(&text);
        let _ = Percent::parse(&text);
    }

    #[test]
    fn what_is_displayed_reads_back_exactly(cents in -1_000_000_000_000i64..1_000_000_000_000, milli in 0i64..1_000_000_000_000, bp in 0i32..10_000) {
        prop_assert_eq!(Money::parse(&Money(cents).to_string()), Ok(Money(cents)));
        prop_assert_eq!(Money::parse(&Money(cents).to_input_string()), Ok(Money(cents)));
        prop_assert_eq!(Quantity::parse(&Quantity(milli).to_input_string()), Ok(Quantity(milli)));
        prop_assert_eq!(Percent::parse(&Percent(bp).to_input_string()), Ok(Percent(bp)));
    }

    /// The totals against a reference computed independently in i128: the net rounded half away
    /// from zero to the cent, the VAT rounded on that net, the gross their sum.
    #[test]
    fn line_totals_match_the_reference(milli in 0i64..10_000_000, cents in 0i64..100_000_000, discount in 0i32..=10_000, vat in 0i32..=10_000) {
        let (net, gross) = line_totals(Quantity(milli), Money(cents), Percent(discount), Percent(vat));
        // net = milli/1000 × cents × (10000 − discount)/10000, in cents.
        let exact_num = milli as i128 * cents as i128 * (10_000 - discount as i128);
        let den = 1000i128 * 10_000;
        let expected_net = (exact_num + den / 2) / den;
        let expected_vat = (expected_net * vat as i128 + 5_000) / 10_000;
        prop_assert_eq!(net.0 as i128, expected_net);
        prop_assert_eq!(gross.0 as i128, expected_net + expected_vat);
        prop_assert!(gross >= net);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any text in the new-user form: either the user is created, or a field error comes back and
    /// the number of users is unchanged.
    #[test]
    fn the_user_form_refuses_cleanly(login in "\\PC{0,80}", name in "\\PC{0,120}", password in "\\PC{0,20}") {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = common::sqlite().await;
            let admin = common::user(&db, "admin", Role::Admin).await;
            let before = app::users::ssr::list(&db, &admin).await.unwrap().len();
            let result = app::users::ssr::create(&db, &admin, NewUser { login, display_name: name, password, role: Role::Member }).await;
            let after = app::users::ssr::list(&db, &admin).await.unwrap().len();
            match result {
                Ok(_) => assert_eq!(after, before + 1),
                Err(err) => {
                    assert!(matches!(err, AppError::Invalid { .. }), "{err:?}");
                    assert_eq!(after, before, "a refused form writes nothing");
                }
            }
        });
    }
}
