/* The library's search, in the browser: the same index file, the same terms, the same scores and order.
 *
 * A line-for-line reading of ftz_reforms.retrieval (terms.py, segmenter.py, engine.py): a query is cut into
 * words (jieba's search mode over the casebook's dictionary, which the index carries; English words lightly
 * stemmed, and their everyday equivalents), Chinese character pairs and single characters; each term's
 * precomputed BM25F scores are added up per case, in the same order, so the sums are the same floats; cases
 * rank by the score rounded to four places, then batch, then number. The tests run both on the same queries
 * and hold the two rankings equal. Strings are walked by code point (Array.from), as Python walks them.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.FtzSearch = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var MAX_QUERY_LENGTH = 200;
  var FAMILY_WEIGHTS = { words: 1.0, bigrams: 0.3, unigrams: 0.1 };
  var EXPANSION_WEIGHT = 0.7;
  var SNIPPET_WIDTH = { zh: 90, en: 220 };
  var FIELD_RANK = { title: 0, heading: 1, summary: 2, body: 3, metric: 4, categories: 5 };
  var IDEOGRAPHS = "\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{3FFFF}";
  var CJK_RUN = new RegExp("[" + IDEOGRAPHS + "]+", "gu");
  var CJK_TEST = new RegExp("[" + IDEOGRAPHS + "]", "u");
  var HAN_BLOCK = /([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)/u;
  var HAN_BLOCK_WHOLE = /^[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+$/u;
  var SKIP = /(\r\n|\s)/u;
  var LATIN_OR_DIGIT = /^[a-zA-Z0-9]$/;
  var LATIN_WORD = /[a-z0-9]+(?:[-'][a-z0-9]+)*/g;
  var NOT_LETTER_OR_DIGIT = /[^a-z0-9]/g;
  var STOP_WORDS = new Set(("a an and are as at be by for from has have in is it its of on or that the their " +
    "this to was were which with").split(" "));
  var INFLECTIONS = [["ies", "i"], ["sses", "ss"], ["ings", ""], ["ions", ""], ["s", ""]];
  var NOT_PLURAL = ["ss", "us", "is"];
  var DERIVATIONS = ["ing", "ion", "ed", "ly"];

  function points(text) { return Array.from(text); }
  function cjkRuns(text) { return text.match(CJK_RUN) || []; }
  function unique(items) { return Array.from(new Set(items)); }
  function endsWithAny(word, endings) { return endings.some(function (e) { return word.endsWith(e); }); }

  // --- terms.py ---------------------------------------------------------------------------------------
  function normalizeQuery(text) { return text.normalize("NFKC").toLowerCase(); }

  function stem(word) {
    if (points(word).length <= 3 || !/^[a-z]+$/i.test(word)) return word;
    return withoutFinalVowel(withoutDerivation(withoutInflection(word)));
  }
  function withoutInflection(word) {
    if (endsWithAny(word, NOT_PLURAL)) return word;
    for (var i = 0; i < INFLECTIONS.length; i++) {
      var suffix = INFLECTIONS[i][0];
      if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
        return word.slice(0, word.length - suffix.length) + INFLECTIONS[i][1];
      }
    }
    return word;
  }
  function withoutDerivation(word) {
    for (var i = 0; i < DERIVATIONS.length; i++) {
      var suffix = DERIVATIONS[i];
      if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
    }
    return word;
  }
  function withoutFinalVowel(word) {
    if (word.endsWith("y") && word.length > 4) word = word.slice(0, -1) + "i";
    if (word.endsWith("e") && word.length > 4) word = word.slice(0, -1);
    return word;
  }

  // Each English word of a lower-cased text: [start, end, terms], offsets in code points.
  function englishWordTerms(text) {
    var found = [];
    var match;
    LATIN_WORD.lastIndex = 0;
    while ((match = LATIN_WORD.exec(text)) !== null) {
      var word = match[0].replace(/'/g, "");
      var parts = word.split("-");
      var terms = parts.length > 1 ? [word] : [];
      parts.forEach(function (part) {
        if (part.length > 1 && !STOP_WORDS.has(part)) terms.push(stem(part));
      });
      var start = points(text.slice(0, match.index)).length;
      found.push([start, start + points(match[0]).length, terms]);
    }
    return found;
  }
  function bigrams(text) {
    var found = [];
    cjkRuns(text).forEach(function (run) {
      var chars = points(run);
      for (var i = 0; i < chars.length - 1; i++) found.push(chars[i] + chars[i + 1]);
    });
    return found;
  }
  function unigrams(text) {
    var found = [];
    cjkRuns(text).forEach(function (run) { found.push.apply(found, points(run)); });
    return found;
  }

  // --- segmenter.py: jieba's search mode without its HMM, over the index's dictionary --------------------
  function Segmenter(frequencies, total) {
    var prefixes = new Map();
    Object.keys(frequencies).forEach(function (word) {
      prefixes.set(word, frequencies[word]);
      var chars = points(word);
      for (var end = 1; end < chars.length; end++) {
        var prefix = chars.slice(0, end).join("");
        if (!prefixes.has(prefix)) prefixes.set(prefix, 0);
      }
    });
    this.frequencies = prefixes;
    this.logTotal = Math.log(total);
  }
  Segmenter.prototype.words = function (text) {
    var self = this;
    var found = [];
    cjkRuns(text).forEach(function (run) {
      self.tokens(run).forEach(function (word) { if (points(word).length >= 2) found.push(word); });
    });
    return found;
  };
  Segmenter.prototype.tokens = function (text) {
    var frequencies = this.frequencies;
    var found = [];
    this.cut(text).forEach(function (word) {
      var chars = points(word);
      var i, piece;
      if (chars.length > 2) {
        for (i = 0; i < chars.length - 1; i++) {
          piece = chars[i] + chars[i + 1];
          if (frequencies.get(piece)) found.push(piece);
        }
      }
      if (chars.length > 3) {
        for (i = 0; i < chars.length - 2; i++) {
          piece = chars[i] + chars[i + 1] + chars[i + 2];
          if (frequencies.get(piece)) found.push(piece);
        }
      }
      found.push(word);
    });
    return found;
  };
  Segmenter.prototype.cut = function (text) {
    var self = this;
    var found = [];
    text.split(HAN_BLOCK).forEach(function (block) {
      if (!block) return;
      if (HAN_BLOCK_WHOLE.test(block)) {
        found.push.apply(found, self.cutBlock(block));
        return;
      }
      block.split(SKIP).forEach(function (piece) {
        if (!piece) return;
        if (/^(\r\n|\s)$/u.test(piece)) found.push(piece);
        else found.push.apply(found, points(piece));
      });
    });
    return found;
  };
  Segmenter.prototype.cutBlock = function (block) {
    var chars = points(block);
    var route = this.route(chars);
    var found = [];
    var position = 0;
    var latin = "";
    while (position < chars.length) {
      var end = route[position][1] + 1;
      var word = chars.slice(position, end).join("");
      if (end - position === 1 && LATIN_OR_DIGIT.test(word)) {
        latin += word;
      } else {
        if (latin) { found.push(latin); latin = ""; }
        found.push(word);
      }
      position = end;
    }
    if (latin) found.push(latin);
    return found;
  };
  // For each position, the best score of the rest of the block from there and where the word starting there
  // ends; ties go to the longer word, as Python's max over (score, end) tuples gives.
  Segmenter.prototype.route = function (chars) {
    var frequencies = this.frequencies;
    var length = chars.length;
    var route = new Array(length + 1);
    route[length] = [0.0, 0];
    for (var start = length - 1; start >= 0; start--) {
      var ends = [];
      var end = start;
      var piece = chars[start];
      while (end < length && frequencies.has(piece)) {
        if (frequencies.get(piece)) ends.push(end);
        end += 1;
        piece = chars.slice(start, end + 1).join("");
      }
      if (!ends.length) ends.push(start);
      var best = null;
      for (var i = 0; i < ends.length; i++) {
        var word = chars.slice(start, ends[i] + 1).join("");
        var score = Math.log(frequencies.get(word) || 1) - this.logTotal + route[ends[i] + 1][0];
        if (best === null || score > best[0] || (score === best[0] && ends[i] > best[1])) best = [score, ends[i]];
      }
      route[start] = best;
    }
    return route;
  };

  // --- engine.py ----------------------------------------------------------------------------------------
  function Engine(raw) {
    var text = raw.text;
    this.cases = raw.catalogue.cases;
    this.postingsTable = text.postings;
    this.dictionary = text.dictionary;
    this.traditional = text.traditional;
    this.expansions = text.english_expansions;
    this.surfaces = text.english_surfaces || {};
    this.encodedSentences = text.sentences;
    this.decoded = {};
    this.sentenceSets = {};
    this.segmenterObject = null;
  }
  Engine.prototype.segmenter = function () {
    if (this.segmenterObject === null) {
      this.segmenterObject = new Segmenter(this.dictionary.frequencies, this.dictionary.total);
    }
    return this.segmenterObject;
  };
  Engine.prototype.simplified = function (text) {
    var table = this.traditional;
    return points(text).map(function (c) { return Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c; })
      .join("");
  };
  Engine.prototype.postings = function (family, term) {
    var encoded = this.postingsTable[family][term];
    if (!encoded) return [];
    var numbers = encoded.split(" ");
    var found = [];
    for (var i = 0; i < numbers.length; i += 2) found.push([parseInt(numbers[i], 10), parseFloat(numbers[i + 1])]);
    return found;
  };
  Engine.prototype.caseSentences = function (position) {
    if (!(position in this.decoded)) this.decoded[position] = JSON.parse(this.encodedSentences[position]);
    return this.decoded[position];
  };
  Engine.prototype.sentences = function (position, language) {
    var key = position + " " + language;
    if (!(key in this.sentenceSets)) {
      var entries = [];
      this.caseSentences(position).forEach(function (sentence, order) {
        if (sentence[1] === language) entries.push([FIELD_RANK[sentence[0]], order, sentence[2], sentence[2].toLowerCase()]);
      });
      this.sentenceSets[key] = new Sentences(entries, language);
    }
    return this.sentenceSets[key];
  };

  Engine.prototype.parse = function (query) {
    var text = this.simplified(points(normalizeQuery(query)).slice(0, MAX_QUERY_LENGTH).join(""));
    var chinese = CJK_TEST.test(text);
    var chineseWords = chinese ? this.segmenter().words(text) : [];
    var english = text.replace(CJK_RUN, " ");
    var typed = {};
    var sequence = [];
    englishWordTerms(english).forEach(function (word) {
      var written = points(english).slice(word[0], word[1]).join("");
      word[2].forEach(function (term) {
        if (!(term in typed)) typed[term] = written;
        sequence.push(term);
      });
    });
    var expanded = [];
    for (var size = 3; size >= 1; size--) {
      for (var at = 0; at + size <= sequence.length; at++) {
        var found = this.expansions[sequence.slice(at, at + size).join(" ")];
        if (found) expanded.push.apply(expanded, found);
      }
    }
    var literal = unique(chineseWords.concat(sequence));
    var words = unique(literal.concat(expanded));
    var literalSet = new Set(literal);
    return {
      words: words,
      bigrams: unique(bigrams(text)),
      unigrams: unique(unigrams(text)),
      chinese: chinese,
      expanded: new Set(words.filter(function (w) { return !literalSet.has(w); })),
      typed: typed,
    };
  };

  Engine.prototype.addFamily = function (family, terms, expanded, scores) {
    var self = this;
    var weight = FAMILY_WEIGHTS[family];
    var matched = scores.map(function () { return []; });
    terms.forEach(function (term) {
      var termWeight = weight * (expanded.has(term) ? EXPANSION_WEIGHT : 1.0);
      self.postings(family, term).forEach(function (posting) {
        scores[posting[0]] += termWeight * posting[1];
        matched[posting[0]].push(term);
      });
    });
    return matched;
  };

  function charactersNeeded(distinct) {
    if (distinct === 1) return 1;
    return distinct >= 3 ? 2 : 0;
  }

  // Python's round(x, 4) for the values a sum of four-place scores gives (no exact ties arise in practice).
  function round4(value) { return Number(value.toFixed(4)); }

  Engine.prototype.search = function (query, limit) {
    limit = limit || 10;
    if (typeof query !== "string" || !query.trim()) return [];
    var parsed = this.parse(query);
    var scores = this.cases.map(function () { return 0.0; });
    var words = this.addFamily("words", parsed.words, parsed.expanded, scores);
    var pairs = this.addFamily("bigrams", parsed.bigrams, parsed.expanded, scores);
    var characters = this.addFamily("unigrams", parsed.unigrams, parsed.expanded, scores);
    var needed = charactersNeeded(parsed.unigrams.length);
    var cases = this.cases;
    var ranked = [];
    for (var position = 0; position < cases.length; position++) {
      var found = words[position].length || pairs[position].length ||
        (needed > 0 && characters[position].length >= needed);
      if (scores[position] > 0 && found) ranked.push(position);
    }
    ranked.sort(function (a, b) {
      return (round4(scores[b]) - round4(scores[a])) || (cases[a].batch - cases[b].batch) ||
        (cases[a].number - cases[b].number);
    });
    var self = this;
    return ranked.slice(0, limit).map(function (position) {
      var entry = cases[position];
      var terms = words[position].length ? words[position] :
        pairs[position].length ? pairs[position] : characters[position];
      var chineseTerms = terms.map(function (t) { return CJK_TEST.test(t); });
      var all = chineseTerms.every(Boolean);
      var none = !chineseTerms.some(Boolean);
      var lang = all ? "zh" : none ? "en" : parsed.chinese ? "zh" : "en";
      var snippet = self.snippet(position, terms, lang);
      return {
        id: entry.id,
        number: entry.number,
        batch: entry.batch,
        title_zh: entry.title_zh,
        title_en: entry.title_en,
        score: round4(scores[position]),
        matched_terms: unique(terms.map(function (t) { return parsed.typed[t] || self.surfaces[t] || t; })),
        snippet: snippet[0],
        highlights: snippet[1],
        lang: lang,
      };
    });
  };

  // --- snippets ----------------------------------------------------------------------------------------
  function Sentences(entries, language) {
    this.entries = entries;
    this.wordStarts = language === "en";
    var self = this;
    var probed = entries.map(function (entry) { return self.probeForm(entry[3]); });
    this.starts = [];
    var offset = 0;
    probed.forEach(function (text) { self.starts.push(offset); offset += text.length + 1; });
    this.joined = probed.join("\u0000");
  }
  Sentences.prototype.probeForm = function (lowered) {
    return this.wordStarts ? " " + lowered.replace(NOT_LETTER_OR_DIGIT, " ") : lowered;
  };
  Sentences.prototype.holding = function (term) {
    var probe = this.probeForm(term);
    var found = [];
    if (!probe.trim()) return found;
    var at = this.joined.indexOf(probe);
    while (at !== -1) {
      var entry = bisectRight(this.starts, at) - 1;
      found.push(entry);
      if (entry + 1 === this.starts.length) break;
      at = this.joined.indexOf(probe, this.starts[entry + 1]);
    }
    return found;
  };
  function bisectRight(list, value) {
    var low = 0;
    var high = list.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (value < list[middle]) high = middle; else low = middle + 1;
    }
    return low;
  }

  // Spans (code points) of a lower-cased sentence matching the terms, none overlapping.
  function highlights(lowered, terms, language) {
    if (language === "en") {
      var wanted = new Set(terms);
      return englishWordTerms(lowered).filter(function (word) {
        return word[2].some(function (form) { return wanted.has(form); });
      }).map(function (word) { return [word[0], word[1]]; });
    }
    var chars = points(lowered);
    var occurrences = [];
    unique(terms).forEach(function (term) {
      var termChars = points(term);
      if (!termChars.length) return;
      for (var start = 0; start + termChars.length <= chars.length; start++) {
        var same = true;
        for (var k = 0; k < termChars.length && same; k++) same = chars[start + k] === termChars[k];
        if (same) occurrences.push([start, start + termChars.length]);
      }
    });
    occurrences.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]); });
    var spans = [];
    occurrences.forEach(function (span) {
      var last = spans[spans.length - 1];
      if (last && span[0] < last[1]) last[1] = Math.max(span[1], last[1]);
      else spans.push([span[0], span[1]]);
    });
    return spans;
  }

  Engine.prototype.snippet = function (position, terms, lang) {
    var sentences = this.sentences(position, lang);
    var probes = new Set(lang !== "en" ? terms : terms.map(function (t) { return t.endsWith("i") ? t.slice(0, -1) : t; }));
    var covered = new Map();
    probes.forEach(function (probe) {
      sentences.holding(probe).forEach(function (entry) { covered.set(entry, (covered.get(entry) || 0) + 1); });
    });
    var candidates = Array.from(covered.keys()).sort(function (a, b) {
      return (covered.get(b) - covered.get(a)) || (sentences.entries[a][0] - sentences.entries[b][0]) ||
        (sentences.entries[a][1] - sentences.entries[b][1]);
    });
    for (var i = 0; i < candidates.length; i++) {
      var entry = sentences.entries[candidates[i]];
      var spans = highlights(entry[3], terms, lang);
      if (spans.length) return shortened(entry[2], spans, SNIPPET_WIDTH[lang]);
    }
    var entryOfCase = this.cases[position];
    return [lang === "zh" ? entryOfCase.title_zh : entryOfCase.title_en || entryOfCase.title_zh, []];
  };

  function shortened(text, spans, width) {
    var chars = points(text);
    if (chars.length <= width) return [text, spans];
    var start = Math.max(0, Math.min(spans[0][0] - Math.floor(width / 4), chars.length - width));
    var end = start + width;
    var prefix = start > 0 ? "…" : "";
    var suffix = end < chars.length ? "…" : "";
    var shown = spans.filter(function (s) { return s[0] >= start && s[1] <= end; })
      .map(function (s) { return [s[0] - start + prefix.length, s[1] - start + prefix.length]; });
    return [prefix + chars.slice(start, end).join("") + suffix, shown];
  }

  return { Engine: Engine, Segmenter: Segmenter, stem: stem, normalizeQuery: normalizeQuery, MAX_QUERY_LENGTH: MAX_QUERY_LENGTH };
});
