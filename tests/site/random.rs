//! `/random` and its narrowing parameters.

use crate::common::{assert_in_layout, get};

#[actix_web::test]
async fn random_redirects_to_a_question_and_is_never_cached() {
    for _ in 0..10 {
        let page = get("/random").await;
        assert_eq!(page.status, 303);
        assert_eq!(page.header("cache-control"), Some("no-store"));
        let location = page.header("location").expect("location");
        assert!(location.starts_with("/questions/"), "{location}");
        let target = get(location).await;
        assert_eq!(target.status, 200, "{location}");
    }
}

#[actix_web::test]
async fn random_honours_category_and_difficulty() {
    let cases = [
        ("/random?category=extras", "/questions/10/"),
        ("/random?category=basics&difficulty=hard", "/questions/3/"),
        ("/random?difficulty=medium", "/questions/2/"),
        ("/random?category=&difficulty=medium", "/questions/2/"),
    ];
    for (uri, prefix) in cases {
        let page = get(uri).await;
        assert_eq!(page.status, 303, "{uri}");
        assert!(
            page.header("location")
                .is_some_and(|l| l.starts_with(prefix)),
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn random_rejects_unknown_narrowing() {
    let unknown = get("/random?category=nope").await;
    assert_eq!(unknown.status, 404);
    assert_in_layout(&unknown);

    let bad = get("/random?difficulty=extreme").await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.text(".lead"),
        "`difficulty` must be easy, medium or hard, found `extreme`."
    );

    let none = get("/random?category=extras&difficulty=hard").await;
    assert_eq!(none.status, 404);
    assert_eq!(
        none.text(".lead"),
        "No question matches that category and difficulty."
    );
}
