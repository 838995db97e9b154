/* The search page: reads ?q=, runs FtzSearch (search.js) over index.json, lists the hits in #results. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var engine = null;
  var loading = null;
  var zh = document.documentElement.dataset.lang === "zh";

  function say(state, en, chinese) {
    status.dataset.state = state;
    status.textContent = document.documentElement.dataset.lang === "zh" ? chinese : en;
  }

  function load() {
    if (!loading) {
      loading = fetch("index.json").then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (raw) { engine = new FtzSearch.Engine(raw); return engine; });
    }
    return loading;
  }

  function marked(text, spans) {
    var chars = Array.from(text);
    var fragment = document.createDocumentFragment();
    var cursor = 0;
    spans.forEach(function (span) {
      fragment.appendChild(document.createTextNode(chars.slice(cursor, span[0]).join("")));
      var mark = document.createElement("mark");
      mark.textContent = chars.slice(span[0], span[1]).join("");
      fragment.appendChild(mark);
      cursor = span[1];
    });
    fragment.appendChild(document.createTextNode(chars.slice(cursor).join("")));
    return fragment;
  }

  function show(query, hits, elapsed) {
    results.textContent = "";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      item.dataset.id = hit.id;
      var titles = document.createElement("div");
      titles.className = "titles";
      var link = document.createElement("a");
      link.href = "../cases/" + hit.id + "/";
      var id = document.createElement("span");
      id.className = "id";
      id.textContent = hit.id;
      var title = document.createElement("span");
      title.lang = "zh-Hans";
      title.textContent = hit.title_zh;
      link.appendChild(id);
      link.appendChild(title);
      titles.appendChild(link);
      if (hit.title_en) {
        var english = document.createElement("span");
        english.lang = "en";
        english.className = "en";
        english.textContent = hit.title_en;
        titles.appendChild(english);
      }
      var snippet = document.createElement("p");
      snippet.className = "snippet";
      snippet.lang = hit.lang === "zh" ? "zh-Hans" : "en";
      snippet.appendChild(marked(hit.snippet, hit.highlights));
      var matched = document.createElement("p");
      matched.className = "matched";
      matched.textContent = (zh ? "匹配：" : "matched: ") + hit.matched_terms.join(", ");
      item.appendChild(titles);
      item.appendChild(snippet);
      item.appendChild(matched);
      results.appendChild(item);
    });
    results.dataset.ms = elapsed.toFixed(2);
    results.dataset.query = query;
    var ms = elapsed.toFixed(1);
    if (hits.length) {
      say("done", hits.length + (hits.length === 1 ? " case matches" : " cases match") + " “" + query + "” (" + ms + " ms)",
        hits.length + " 个案例匹配“" + query + "”（" + ms + " 毫秒）");
    } else {
      say("done", "No case matches “" + query + "”.", "没有案例匹配“" + query + "”。");
    }
  }

  function run(query) {
    query = query.trim();
    if (!query) { results.textContent = ""; say("idle", "Type words to search for.", "请输入搜索词。"); return; }
    say("loading", "Searching…", "正在搜索…");
    load().then(function () {
      var started = performance.now();
      var hits = engine.search(query, 50);
      show(query, hits, performance.now() - started);
    }, function (error) {
      say("error", "The search index could not be loaded (" + error.message + "): open the site through a web " +
        "server, for example python -m http.server in its folder.",
        "无法加载搜索索引（" + error.message + "）：请通过网页服务器打开本站，例如在其目录中运行 python -m http.server。");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    history.pushState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  window.addEventListener("popstate", function () {
    input.value = new URLSearchParams(location.search).get("q") || "";
    run(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  var header = document.getElementById("site-q");
  if (header) header.value = initial;
  if (initial) run(initial);
})();
