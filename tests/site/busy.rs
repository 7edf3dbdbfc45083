//! The offload pool full: searches and interview pages are refused at once with a 503 page that
//! says when to come back, while the pages held in memory are served as ever.

use std::sync::mpsc;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use drillbook::web::{self, Offload, PoolLimits};

use crate::common::{assert_in_layout, call, start_interview, state};

/// Waits, without blocking the test's runtime, for a message on `channel`.
async fn until_sent(channel: &mpsc::Receiver<()>) {
    while channel.try_recv().is_err() {
        actix_web::rt::task::yield_now().await;
    }
}

#[actix_web::test]
async fn with_the_pool_held_busy_costly_pages_get_503_and_cheap_ones_200() {
    let code = start_interview("category=basics&count=2&minutes=1").await;
    // One thread, held by one job, and a queue of one, filled by another: a queue takes a job
    // whether or not the thread is waiting yet, so this is the same on every run.
    let pool = Offload::start(PoolLimits {
        threads: 1,
        queue: 1,
    })
    .expect("a pool");
    let app = test::init_service(web::app(state()).app_data(pool.clone())).await;
    let hold = |held: mpsc::Receiver<()>, started: mpsc::Sender<()>| {
        let pool = pool.clone();
        actix_web::rt::spawn(async move {
            pool.run(move || {
                let _ = started.send(());
                let _ = held.recv();
            })
            .await
        })
    };
    let (release_running, held_running) = mpsc::channel::<()>();
    let (started, running) = mpsc::channel::<()>();
    let running_job = hold(held_running, started);
    until_sent(&running).await;
    let (release_queued, held_queued) = mpsc::channel::<()>();
    let (queued_started, queued_running) = mpsc::channel::<()>();
    let queued_job = hold(held_queued, queued_started);
    // The spawned task runs, and its job takes the queue's one place, when this one yields.
    actix_web::rt::task::yield_now().await;

    let costly = [
        "/search?q=decorator".to_string(),
        format!("/mock/{code}/1"),
        format!("/mock/{code}/results"),
        format!("/mock/{code}/interviewer"),
    ];
    for path in &costly {
        let refused = call(&app, TestRequest::get().uri(path)).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(refused.header("retry-after"), Some("1"), "{path}");
        assert_eq!(refused.header("cache-control"), Some("no-store"), "{path}");
        let page = crate::common::Page::from(refused);
        assert_in_layout(&page);
        assert_eq!(page.text("h1"), "Busy right now", "{path}");
        assert!(page.body.contains("try again in a moment"), "{}", page.body);
    }
    let cheap = call(&app, TestRequest::get().uri("/questions/1")).await;
    assert_eq!(cheap.status, StatusCode::MOVED_PERMANENTLY);
    let location = cheap.header("location").expect("location").to_string();
    let question = call(&app, TestRequest::get().uri(&location)).await;
    assert_eq!(
        question.status,
        StatusCode::OK,
        "the question page needs no pool"
    );

    release_running.send(()).expect("the running job waits");
    until_sent(&queued_running).await;
    release_queued.send(()).expect("the queued job waits");
    running_job
        .await
        .expect("joined")
        .expect("the running job ran");
    queued_job
        .await
        .expect("joined")
        .expect("the queued job ran");
    let again = call(&app, TestRequest::get().uri(&costly[0])).await;
    assert_eq!(again.status, StatusCode::OK);
}
