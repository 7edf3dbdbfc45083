//! Writes a synthetic content folder of N questions, for benchmarks at sizes the real bank will
//! never reach. Titles, summaries and answers are drawn from a technical word list with a fixed
//! seed, so the same N always gives the same bank.
//!
//!     cargo run --release --example generate_bank -- 100000 /tmp/bank-100k

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

const WORDS: &str = "python interpreter bytecode gil global lock thread threading process \
multiprocessing pool asyncio event loop coroutine await async generator iterator yield protocol \
decorator closure function lambda argument keyword default mutable immutable list tuple dict set \
comprehension slice copy deep shallow reference count garbage collector memory leak object class \
instance method static classmethod property descriptor metaclass inheritance mixin interface \
abstract polymorphism encapsulation exception error handling traceback context manager with \
resource file stream buffer bytes string unicode encoding json pickle serialization schema \
validation pydantic dataclass typing annotation hint module package import namespace virtual \
environment dependency pip poetry wheel build test pytest fixture mock patch coverage profile \
benchmark cache lru memoize lazy evaluation database sql query injection orm django flask \
fastapi sqlalchemy session transaction migration index request response http rest api client \
server websocket authentication authorization token jwt password hash salt csrf xss tls https \
certificate docker container image kubernetes pod deployment service ingress nginx gunicorn \
uvicorn worker celery task queue broker redis rabbitmq logging logger handler monitoring metrics \
tracing configuration secret variable microservice architecture event driven scalability \
pattern singleton factory observer strategy adapter dependency injection regex datetime timezone";

const CATEGORIES: [&str; 10] = [
    "python-basics",
    "advanced-python",
    "object-oriented-programming",
    "libraries-and-frameworks",
    "data-handling-and-apis",
    "testing-and-debugging",
    "performance-and-optimization",
    "security",
    "deployment-and-devops",
    "miscellaneous",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(out)) = (args.get(1).and_then(|n| n.parse::<u32>().ok()), args.get(2))
    else {
        eprintln!("usage: generate_bank N OUT_DIR");
        return ExitCode::FAILURE;
    };
    match generate(count, Path::new(out)) {
        Ok(()) => {
            println!("wrote {count} questions to {out}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("generate_bank: {err}");
            ExitCode::FAILURE
        }
    }
}

fn generate(count: u32, out: &Path) -> std::io::Result<()> {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut rng = ChaCha8Rng::from_seed([7; 32]);
    let mut pick = |n: usize| -> Vec<&str> {
        (0..n)
            .map(|_| words[rng.next_u32() as usize % words.len()])
            .collect()
    };
    fs::create_dir_all(out)?;
    fs::write(
        out.join("site.toml"),
        "title = \"generated\"\ndescription = \"A generated bank for benchmarks.\"\nbase_url = \"http://127.0.0.1:8080\"\n",
    )?;
    for (order, slug) in CATEGORIES.iter().enumerate() {
        let dir = out.join(slug);
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join("_category.toml"),
            format!(
                "title = \"{slug}\"\norder = {}\ndescription = \"Generated questions.\"\n",
                order + 1
            ),
        )?;
    }
    for id in 1..=count {
        let category = CATEGORIES[(id as usize) % CATEGORIES.len()];
        let difficulty = ["easy", "medium", "hard"][(id as usize) % 3];
        let title = format!(
            "How does {} work with {}?",
            pick(3).join(" "),
            pick(2).join(" ")
        );
        let summary = pick(18).join(" ");
        let mut tags: Vec<String> = pick(3).iter().map(|t| format!("\"{t}\"")).collect();
        tags.sort();
        tags.dedup();
        let paragraphs: Vec<String> = (0..3).map(|_| format!("{}.", pick(50).join(" "))).collect();
        let points: Vec<String> = (0..4).map(|_| format!("- {}", pick(8).join(" "))).collect();
        let related = if id > 1 {
            format!("[{}]", id - 1)
        } else {
            "[]".to_string()
        };
        let text = format!(
            "+++\nid = {id}\ntitle = \"{title}\"\ndifficulty = \"{difficulty}\"\ntags = [{}]\nsummary = \"{summary}.\"\nrelated = {related}\n+++\n{}\n\n## Key points\n{}\n",
            tags.join(", "),
            paragraphs.join("\n\n"),
            points.join("\n"),
        );
        fs::write(out.join(category).join(format!("{id:06}.md")), text)?;
    }
    Ok(())
}
