// drillbook: what the offline worker (/sw.js) and the pages agree on. Which pages a kept set
// holds, which responses may be stored, where the list of kept sets lives and how it is read,
// and how sizes and failures read. Pure but for the storage it is handed, so that Node's tests
// run it as it is served; the worker loads it with importScripts, the pages with a script tag.
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookKeep = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  /** The set "Keep everything offline" keeps; any other set is a category's slug. */
  var EVERYTHING = "all";
  /** Pages opened are kept up to this many, the oldest forgotten first. */
  var VISITED_LIMIT = 400;
  /** A new version of the site fetches anew at most this many of the pages opened before. */
  var CARRIED_LIMIT = 150;
  /** The cache, shared by every version, that lists the kept sets, and the entry that does. */
  var LIST_CACHE = "drillbook-kept-list";
  var LIST_URL = "/offline.json?kept";

  /** The URLs of an index entry: its page and what is kept with it. */
  function entryUrls(entry, into) {
    if (!entry || typeof entry.url !== "string") return;
    into.push(entry.url);
    (Array.isArray(entry.also) ? entry.also : []).forEach(function (url) {
      if (typeof url === "string") into.push(url);
    });
  }

  function categoryUrls(category, into) {
    entryUrls(category, into);
    (Array.isArray(category.questions) ? category.questions : []).forEach(function (question) {
      entryUrls(question, into);
    });
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  /**
   * Every URL a set keeps, each once, from the index the server publishes (/offline.json):
   * everything, or one category with its questions. Null for a set the index does not have.
   */
  function urlsOf(index, set) {
    if (!index || typeof index !== "object") return null;
    var urls = [];
    if (set === EVERYTHING) {
      list(index.pages).forEach(function (page) {
        entryUrls(page, urls);
      });
      list(index.categories).forEach(function (category) {
        categoryUrls(category, urls);
      });
      list(index.tags).forEach(function (tag) {
        entryUrls(tag, urls);
      });
    } else {
      var category = list(index.categories).filter(function (c) {
        return c && c.slug === set;
      })[0];
      if (!category) return null;
      categoryUrls(category, urls);
    }
    return urls.filter(function (url, at) {
      return url.charAt(0) === "/" && url.charAt(1) !== "/" && urls.indexOf(url) === at;
    });
  }

  /**
   * Where a request the server would redirect goes, as far as the index can tell without it: the
   * canonical page of `/questions/{id}` (or of a wrong slug), or, for `/random` (narrowed by
   * `?category=`), every question it might pick, for the worker to choose among those kept.
   * Null for any other path.
   */
  function redirectsOf(index, path, query) {
    if (!index || typeof index !== "object") return null;
    var categories = list(index.categories);
    var question = /^\/questions\/(\d+)(\/[^/]*)?$/.exec(path);
    if (question) {
      var prefix = "/questions/" + question[1] + "/";
      var found = [];
      categories.forEach(function (category) {
        list(category && category.questions).forEach(function (q) {
          if (q && typeof q.url === "string" && q.url.indexOf(prefix) === 0 && q.url !== path) {
            found.push(q.url);
          }
        });
      });
      return found.length ? found : null;
    }
    if (path === "/random") {
      var only = new URLSearchParams(query || "").get("category");
      var urls = [];
      categories.forEach(function (category) {
        if (!category || (only && category.slug !== only)) return;
        list(category.questions).forEach(function (q) {
          if (q && typeof q.url === "string") urls.push(q.url);
        });
      });
      return urls;
    }
    return null;
  }

  /**
   * Whether a response may be stored: a whole page or file of the site's own origin (a
   * same-origin fetch gives a "basic" response), not an error, not a redirect, and not marked
   * no-store.
   */
  function mayKeep(response) {
    if (!response || response.status !== 200 || response.type !== "basic") return false;
    if (response.redirected) return false;
    var control = (response.headers && response.headers.get("Cache-Control")) || "";
    return !/(^|,)\s*no-store\s*(,|$)/i.test(control);
  }

  /**
   * The kept sets, by name, with their sizes, as the worker records them in `storage` (the
   * Cache Storage the worker and the pages share); empty when nothing is kept or it cannot be
   * read.
   */
  function keptList(storage) {
    return storage.open(LIST_CACHE).then(function (cache) {
      return cache.match(LIST_URL);
    }).then(function (found) {
      return found ? found.json() : {};
    }).then(function (list) {
      return list && typeof list === "object" ? list : {};
    }).catch(function () {
      return {};
    });
  }

  /** 1536 -> "1.5 KB", 2.5e6 -> "2.4 MB". */
  function sizeText(bytes) {
    var n = Math.max(0, Number(bytes) || 0);
    if (n < 1024) return n + (n === 1 ? " byte" : " bytes");
    if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10 * 1024 ? 1 : 0) + " KB";
    return (n / (1024 * 1024)).toFixed(1) + " MB";
  }

  /** Why keeping stopped, as a person can act on it. */
  function failureText(problem) {
    var name = problem && problem.name;
    if (name === "QuotaExceededError") return "this device has no room left for it";
    if (name === "TypeError") return "the connection was lost";
    return (problem && problem.message) || "something went wrong";
  }

  return Object.freeze({
    EVERYTHING: EVERYTHING,
    VISITED_LIMIT: VISITED_LIMIT,
    CARRIED_LIMIT: CARRIED_LIMIT,
    LIST_CACHE: LIST_CACHE,
    LIST_URL: LIST_URL,
    urlsOf: urlsOf,
    redirectsOf: redirectsOf,
    keptList: keptList,
    mayKeep: mayKeep,
    sizeText: sizeText,
    failureText: failureText
  });
});
