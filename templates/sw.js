// drillbook's service worker: keeps the pages a person opens (and the sets they choose to keep)
// so that they can study without a connection. Nothing a person types, says or grades passes
// through it: that stays in the page's own storage.
"use strict";

var VERSION = "{{ version }}";
var PRECACHE = {{ precache|safe }};
importScripts("{{ keep_script }}");
var KEEP = self.DrillbookKeep;

/** Every cache of this worker's version starts so; a new version drops the others. */
var PREFIX = "drillbook-";
var OURS = PREFIX + VERSION + "-";
/** The static files and the offline page, stored when the worker installs. */
var SITE = OURS + "site";
/** Pages opened, newest last; at most KEEP.VISITED_LIMIT of them. */
var VISITED = OURS + "visited";
/** One cache per kept set: `kept-all` or `kept-{category slug}`. */
var KEPT = OURS + "kept-";
/** Which sets are kept, with their sizes: carried from version to version. */
var LIST = KEEP.LIST_CACHE;
var LIST_URL = KEEP.LIST_URL;

/** How many downloads run at once when a set is kept. */
var PARALLEL = 4;

self.addEventListener("install", function (event) {
  event.waitUntil(install().then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(activate());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  // Other origins are the browser's business, and so is the worker's own script.
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") return;
  if (request.mode === "navigate" && request.method === "POST") {
    event.respondWith(fetch(request).catch(function () {
      return offlinePage();
    }));
    return;
  }
  if (request.method !== "GET" || request.headers.has("range")) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(staleWhileRevalidate(event, request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && typeof data.set === "string") {
    event.waitUntil(keepSet(data.set, true));
  } else if (data.type === "remove" && typeof data.set === "string") {
    event.waitUntil(removeSet(data.set));
  } else if (data.type === "prefetch" && Array.isArray(data.urls)) {
    event.waitUntil(prefetch(data.urls));
  } else if (data.type === "version" && event.source) {
    event.source.postMessage({ type: "version", version: VERSION });
  }
});

// ---- installing and activating -------------------------------------------------------------

/**
 * Stores the static files and the offline page, then brings over what the previous version
 * held, fetched anew: every kept set and the most recent pages opened. A connection lost on
 * the way fails the install, and the previous version stays in charge until the next try.
 */
function install() {
  return caches.open(SITE).then(function (site) {
    return site.addAll(PRECACHE.map(fresh));
  }).then(function () {
    return KEEP.keptList(caches);
  }).then(function (list) {
    return Object.keys(list).reduce(function (done, set) {
      return done.then(function () {
        return keepSet(set, false);
      });
    }, Promise.resolve());
  }).then(function () {
    return earlierVisits();
  }).then(function (urls) {
    return storeAll(VISITED, urls, function () {});
  });
}

/** Drops every other version's caches, takes charge of open pages, and stores them too. */
function activate() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== LIST && name.indexOf(OURS) !== 0;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () {
    return self.clients.claim();
  }).then(function () {
    return self.clients.matchAll({ type: "window" });
  }).then(function (windows) {
    var open = windows.map(function (client) {
      return withoutFragment(client.url);
    }).filter(function (url) {
      return new URL(url).origin === self.location.origin;
    });
    return Promise.all(open.map(function (url) {
      return lookup(url).then(function (found) {
        return found ? null : store(VISITED, url).catch(function () {});
      });
    })).then(function () {
      return tell({ type: "version", version: VERSION });
    });
  });
}

/** The most recent pages opened under an earlier version, to carry into this one. */
function earlierVisits() {
  return caches.keys().then(function (names) {
    var earlier = names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name.indexOf(OURS) !== 0 &&
        /-visited$/.test(name);
    });
    return Promise.all(earlier.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.keys();
      });
    }));
  }).then(function (lists) {
    var urls = [];
    lists.forEach(function (requests) {
      requests.forEach(function (request) {
        if (urls.indexOf(request.url) < 0) urls.push(request.url);
      });
    });
    return urls.slice(-KEEP.CARRIED_LIMIT);
  });
}

// ---- answering requests --------------------------------------------------------------------

/** A hashed static file never changes: the stored copy, else the network's. */
function cacheFirst(request) {
  return lookup(request).then(function (found) {
    return found || fetch(request).then(function (response) {
      if (KEEP.mayKeep(response)) {
        var copy = response.clone();
        caches.open(SITE).then(function (cache) {
          return cache.put(request, copy);
        }).catch(function () {});
      }
      return response;
    });
  });
}

/**
 * A page: the stored copy at once when there is one, refreshed from the network for next time;
 * the network's otherwise, stored; the offline page when neither can answer.
 */
function staleWhileRevalidate(event, request) {
  var network = fetch(request).then(function (response) {
    if (KEEP.mayKeep(response)) {
      var copy = response.clone();
      event.waitUntil(refresh(withoutFragment(request.url), copy).catch(function () {}));
    }
    return response;
  });
  return lookup(request).then(function (found) {
    if (found) {
      event.waitUntil(network.catch(function () {}));
      return found;
    }
    return network.catch(function () {
      return offlineRedirect(request).then(function (found) {
        return found || offlinePage();
      });
    });
  });
}

/**
 * Offline, what the server would have redirected: a question's short link to its kept page, a
 * random question to one of those kept. Undefined when nothing kept fits.
 */
function offlineRedirect(request) {
  var url = new URL(request.url);
  return lookup("/offline.json").then(function (found) {
    return found ? found.json() : null;
  }).then(function (index) {
    var targets = KEEP.redirectsOf(index, url.pathname, url.search) || [];
    return Promise.all(targets.map(function (target) {
      return lookup(target);
    })).then(function (kept) {
      var ready = targets.filter(function (target, at) {
        return kept[at];
      });
      if (!ready.length) return undefined;
      var pick = ready[Math.floor(Math.random() * ready.length)];
      return Response.redirect(new URL(pick, url.origin).href, url.pathname === "/random" ? 303 : 301);
    });
  }).catch(function () {
    return undefined;
  });
}

/** Anything else of the site (icons, the manifest, cards): the network, else a stored copy. */
function networkFirst(request) {
  return fetch(request).catch(function (problem) {
    return lookup(request).then(function (found) {
      if (found) return found;
      throw problem;
    });
  });
}

function offlinePage() {
  return lookup("/offline").then(function (found) {
    return found || new Response("You are offline, and this page is not kept on this device.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" }
    });
  });
}

// ---- the caches ----------------------------------------------------------------------------

/** This version's caches, kept sets first. */
function ourCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) {
      return name.indexOf(OURS) === 0;
    }).sort(function (a, b) {
      return rank(a) - rank(b);
    });
  });
}

function rank(name) {
  return name.indexOf(KEPT) === 0 ? 0 : name === VISITED ? 1 : 2;
}

/** The stored copy of a request in this version's caches, or undefined. */
function lookup(request) {
  return ourCaches().then(function (names) {
    return names.reduce(function (found, name) {
      return found.then(function (response) {
        return response || caches.open(name).then(function (cache) {
          return cache.match(request, { ignoreVary: true });
        });
      });
    }, Promise.resolve(undefined));
  });
}

/** Puts a fresh copy of a page (`request`, a URL without fragment) wherever it is kept, or
 * among the pages opened. */
function refresh(request, response) {
  return ourCaches().then(function (names) {
    var kept = names.filter(function (name) {
      return name.indexOf(KEPT) === 0;
    });
    return Promise.all(kept.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (found) {
          return found ? cache.put(request, response.clone()).then(function () {
            return true;
          }) : false;
        });
      });
    })).then(function (puts) {
      return puts.indexOf(true) >= 0 ? null : putVisited(request, response);
    });
  });
}

/** Stores a page among those opened, forgetting the oldest beyond the limit. */
function putVisited(request, response) {
  return caches.open(VISITED).then(function (cache) {
    return cache.delete(request, { ignoreVary: true }).then(function () {
      return cache.put(request, response);
    }).then(function () {
      return cache.keys();
    }).then(function (keys) {
      var extra = keys.slice(0, Math.max(0, keys.length - KEEP.VISITED_LIMIT));
      return Promise.all(extra.map(function (key) {
        return cache.delete(key);
      }));
    });
  });
}

/**
 * A URL as it is stored: without its fragment, which no server sees and which may hold what a
 * person wrote (a scorecard, a device transfer), so that it is never kept in a cache either.
 */
function withoutFragment(url) {
  return String(url).split("#")[0];
}

/** A request that asks the server rather than the browser's HTTP cache. */
function fresh(url) {
  return new Request(url, { cache: "no-cache", credentials: "same-origin" });
}

/**
 * Fetches `url` and stores it in `cacheName`; resolves to the bytes stored (0 when the response
 * may not be kept: no-store, an error, a redirect). Rejects when there is no connection.
 */
function store(cacheName, url) {
  return fetch(fresh(url)).then(function (response) {
    if (!KEEP.mayKeep(response)) return 0;
    return response.clone().blob().then(function (body) {
      var stored = cacheName === VISITED ? putVisited(url, response) :
        caches.open(cacheName).then(function (cache) {
          return cache.put(url, response);
        });
      return stored.then(function () {
        return body.size;
      });
    });
  });
}

/** Stores every URL, a few at a time; `progress(bytes)` after each. */
function storeAll(cacheName, urls, progress) {
  var next = 0;
  function worker() {
    if (next >= urls.length) return Promise.resolve();
    var url = urls[next++];
    return store(cacheName, url).then(function (bytes) {
      progress(bytes);
      return worker();
    });
  }
  var workers = [];
  for (var i = 0; i < Math.min(PARALLEL, urls.length); i++) workers.push(worker());
  return Promise.all(workers);
}

// ---- kept sets -----------------------------------------------------------------------------

function saveList(change) {
  return KEEP.keptList(caches).then(function (list) {
    change(list);
    return caches.open(LIST).then(function (cache) {
      return cache.put(LIST_URL, new Response(JSON.stringify(list), {
        headers: { "Content-Type": "application/json" }
      }));
    });
  });
}

/** The index of what can be kept: the server's, else the copy stored at install. */
function offlineIndex() {
  return fetch(fresh("/offline.json")).then(function (response) {
    if (!response.ok) throw new Error("the index answered " + response.status);
    var copy = response.clone();
    return caches.open(SITE).then(function (cache) {
      return cache.put("/offline.json", copy);
    }).then(function () {
      return response.json();
    });
  });
}

/**
 * Downloads every page of a set into its own cache and records it as kept, telling every open
 * page how far it has got (when `report`). A set that fails part way is dropped whole, so what
 * is listed as kept is always complete.
 */
function keepSet(set, report) {
  var name = KEPT + set;
  var total = 0;
  var done = 0;
  var bytes = 0;
  var say = report ? tell : function () { return Promise.resolve(); };
  var gone = false;
  return offlineIndex().then(function (index) {
    var urls = KEEP.urlsOf(index, set);
    if (!urls) {
      gone = true;
      throw new Error("there is nothing called “" + set + "” to keep");
    }
    total = urls.length;
    say({ type: "keep-progress", set: set, done: 0, total: total, bytes: 0 });
    return caches.delete(name).then(function () {
      return storeAll(name, urls, function (size) {
        done += 1;
        bytes += size;
        say({ type: "keep-progress", set: set, done: done, total: total, bytes: bytes });
      });
    });
  }).then(function () {
    return saveList(function (list) {
      list[set] = { pages: done, bytes: bytes, at: Date.now(), version: VERSION };
    });
  }).then(function () {
    return say({ type: "keep-done", set: set, pages: done, bytes: bytes });
  }).catch(function (problem) {
    return caches.delete(name).then(function () {
      // A category the bank no longer has is forgotten rather than retried for ever.
      return gone ? saveList(function (list) {
        delete list[set];
      }) : null;
    }).then(function () {
      return say({
        type: "keep-failed", set: set, done: done, total: total,
        reason: KEEP.failureText(problem)
      });
    }).then(function () {
      if (!report && !gone) throw problem;
    });
  });
}

function removeSet(set) {
  return caches.delete(KEPT + set).then(function () {
    return saveList(function (list) {
      delete list[set];
    });
  }).then(function () {
    return tell({ type: "keep-removed", set: set });
  });
}

/** Stores the pages of a mock interview not stored yet, so that it can be finished offline. */
function prefetch(urls) {
  var own = urls.filter(function (url) {
    return typeof url === "string" && new URL(url, self.location.origin).origin === self.location.origin;
  });
  return Promise.all(own.map(function (url) {
    return lookup(url).then(function (found) {
      return found ? 0 : store(VISITED, withoutFragment(url));
    }).catch(function () {
      return 0;
    });
  }));
}

/** Sends a message to every open page of the site. */
function tell(message) {
  return self.clients.matchAll({ type: "window" }).then(function (windows) {
    windows.forEach(function (client) {
      client.postMessage(message);
    });
  });
}
