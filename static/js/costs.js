/* The cost-of-a-centre estimator on the frozen site: reads the address's scenario, computes it
   with the method (static/js/costs-method.js, loaded first) over the data file the freeze
   writes beside the page (costs/data.json), and redraws the table and chart. Self-hosted, no
   inline script, no dependencies. */
(function () {
  "use strict";
  var M = window.CostsMethod;
  if (!M || typeof document === "undefined") {
    return;
  }
  var ROLES = M.ROLES;
  var CUSTOM = M.constants.CUSTOM;
  var FALLBACK_WAGE = M.constants.FALLBACK_WAGE;
  var makeScenario = M.makeScenario;
  var estimate = M.estimate;
  var money = M.money;
  var percent = M.percent;

  function known(value) {
    return value !== null && value !== undefined;
  }

  // -- the page ------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function fill(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (all, name) {
      return values[name] === undefined ? all : String(values[name]);
    });
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  // Read and check the scenario of the address, as the server's form does.
  function readScenario(params, data) {
    var errors = {};
    var limits = data.limits;
    var team = Number(params.get("team"));
    if (!/^\d+$/.test(params.get("team") || "") || team < limits.team[0] || team > limits.team[1]) {
      errors.team = data.text.team;
    }
    var mix = params.get("mix") || "software";
    if (!(mix in data.mixes)) { errors.mix = data.text.mix; }
    var shares = {};
    var total = 0;
    ROLES.forEach(function (role) {
      var value = params.get(role);
      shares[role] = value ? Number(value) : 0;
      total += shares[role];
    });
    if (mix === CUSTOM && total !== 100) {
      errors.mix = fill(data.text.shares, { total: total });
    }
    var factors = {};
    ROLES.forEach(function (role) {
      var value = params.get("factor_" + role);
      if (value) {
        var factor = Number(value);
        if (!(factor >= limits.factor[0] && factor <= limits.factor[1])) {
          errors["factor_" + role] = data.text.factor;
        } else {
          factors[role] = factor;
        }
      }
    });
    var chosen = params.getAll("country");
    var countries = data.countries.filter(function (slug) { return chosen.indexOf(slug) >= 0; });
    if (countries.length === 0 || countries.length !== chosen.length) {
      errors.country = data.text.countries;
    }
    var overhead = { m2: data.overhead.m2, equipment: data.overhead.equipment,
      recruitment: data.overhead.recruitment, rents: {} };
    function readNumber(name, limits, store) {
      var value = params.get(name);
      if (!value) { return; }
      var number = Number(value);
      if (!(number >= limits[0] && number <= limits[1])) {
        errors[name] = fill(data.text.number, { min: limits[0], max: limits[1] });
      } else {
        store(number);
      }
    }
    ["m2", "equipment", "recruitment"].forEach(function (name) {
      readNumber(name, limits[name], function (n) { overhead[name] = n; });
    });
    data.rent_slugs.forEach(function (slug) {
      readNumber("rent_" + slug.replace(/-/g, "_"), limits.rent, function (n) { overhead.rents[slug] = n; });
    });
    var fallback = params.get("fallback") === "y";
    return { errors: errors,
      scenario: makeScenario(team, mix, countries, shares, factors, overhead, fallback) };
  }

  function keepInput(form, params) {
    var names = ["team", "software", "service", "finance", "factor_software", "factor_service",
      "factor_finance", "m2", "equipment", "recruitment"];
    Array.prototype.forEach.call(form.querySelectorAll("input[name^=rent_]"), function (input) {
      names.push(input.name);
    });
    names.forEach(function (name) {
      if (form.elements[name] && params.has(name)) { form.elements[name].value = params.get(name); }
    });
    if (form.elements.fallback) { form.elements.fallback.checked = params.get("fallback") === "y"; }
    Array.prototype.forEach.call(form.querySelectorAll("input[name=mix]"), function (input) {
      input.checked = input.value === (params.get("mix") || "software");
    });
    var chosen = params.getAll("country");
    Array.prototype.forEach.call(form.querySelectorAll("input[name=country]"), function (input) {
      input.checked = chosen.indexOf(input.value) >= 0;
    });
  }

  function showErrors(form, errors) {
    Array.prototype.forEach.call(form.querySelectorAll(".error.costs-js"), function (node) {
      node.parentNode.removeChild(node);
    });
    Object.keys(errors).forEach(function (name) {
      var field = document.getElementById(name);
      var box = field && field.closest(".field");
      if (!box) { return; }
      var message = el("p", errors[name], { "class": "error costs-js", id: name + "-js-error" });
      box.appendChild(message);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", name + "-js-error");
    });
  }

  function chart(rows, title, lang) {
    var width = 640, labelWidth = 190, valueWidth = 110, barHeight = 22, gap = 10, top = 8;
    var values = rows.filter(function (r) { return r.value !== null; }).map(function (r) { return r.value; });
    var scale = Math.max.apply(null, values.concat([0])) || 1;
    var space = width - labelWidth - valueWidth;
    var height = top * 2 + Math.max(rows.length, 1) * (barHeight + gap) - gap;
    var svg = document.createElementNS(SVG, "svg");
    var attrs = {
      "class": "chart chart-bar", role: "img", viewBox: "0 0 " + width + " " + height,
      width: "100%", preserveAspectRatio: "xMinYMin meet", "aria-label": title,
      "aria-labelledby": "chart-costs-title chart-costs-desc"
    };
    Object.keys(attrs).forEach(function (name) { svg.setAttribute(name, attrs[name]); });
    function add(parent, tag, text, a) {
      var node = document.createElementNS(SVG, tag);
      Object.keys(a || {}).forEach(function (name) { node.setAttribute(name, a[name]); });
      if (text !== null && text !== undefined) { node.textContent = text; }
      parent.appendChild(node);
      return node;
    }
    function shown(value) {
      return money(value, lang);
    }
    add(svg, "title", title, { id: "chart-costs-title" });
    add(svg, "desc", rows.map(function (r) { return r.name + ": " + shown(r.value); }).join("; "),
      { id: "chart-costs-desc" });
    rows.forEach(function (row, index) {
      var y = top + index * (barHeight + gap);
      var middle = y + barHeight / 2;
      var group = add(svg, "g", null, { "class": "chart-row" });
      add(group, "text", row.name, {
        "class": "chart-label", x: labelWidth - 8, y: middle, "text-anchor": "end",
        "dominant-baseline": "middle", fill: "#1d2733", "font-size": 14
      });
      var end = labelWidth;
      if (row.value === null) {
        add(group, "rect", null, { "class": "chart-track", x: labelWidth, y: y, width: space,
          height: barHeight, fill: "#eef1f5" });
      } else {
        var bar = Math.round(Math.max(0, Math.min(row.value / scale, 1)) * space * 10) / 10;
        end = labelWidth + bar;
        add(group, "rect", null, { "class": "chart-bar-fill", x: labelWidth, y: y, width: bar,
          height: barHeight, fill: "#1f5fa8" });
      }
      add(group, "text", shown(row.value), { "class": "chart-value", x: end + 6, y: middle,
        "dominant-baseline": "middle", fill: "#1d2733", "font-size": 14 });
    });
    return svg;
  }

  function missingText(data, missing) {
    return fill(data.text.missing, {
      what: missing.map(function (key) { return data.missing[key]; }).join(", ")
    });
  }

  function basisCell(th, data, row) {
    var used = row.wages_used || {};
    var roles = Object.keys(used);
    roles.forEach(function (role) {
      var key = used[role];
      var text = (data.basis[row.slug] || {})[key] || "";
      var small = el("small", (roles.length > 1 ? data.roles[role] + ": " : "") + text,
        { "class": "costs-basis" + (key === FALLBACK_WAGE ? " is-fallback" : "") });
      th.appendChild(small);
    });
  }

  function savingText(td, found, lang) {
    if (!found) {
      td.appendChild(document.createTextNode("\u2014"));
      return;
    }
    td.appendChild(document.createTextNode(money(found.eur, lang) + " "));
    td.appendChild(el("small", "(" + percent(found.percent, lang) + ")"));
  }

  function savingCell(found, total, lang) {
    var td = el("td");
    savingText(td, found, lang);
    td.appendChild(el("br"));
    savingText(td, total, lang);
    return td;
  }

  function render(section, data, scenario, result, query) {
    var lang = data.format.lang;
    var rows = [];
    var tbody = section.querySelector(".costs-table tbody");
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    function addRow(row, baseline) {
      var tr = el("tr", null, baseline ? { "class": "costs-baseline" } : {});
      var th = el("th", data.names[row.slug], { scope: "row" });
      basisCell(th, data, row);
      tr.appendChild(th);
      rows.push({ name: data.names[row.slug], value: row.ok ? row.team_cost : null });
      if (!row.ok) {
        th.appendChild(el("small", missingText(data, row.missing), { "class": "costs-basis costs-missing" }));
        tr.appendChild(el("td", "\u2014", { colspan: 7 }));
      } else {
        var person = el("td", money(row.person_cost, lang));
        if (known(row.pension)) {
          person.appendChild(el("br"));
          person.appendChild(el("small", fill(data.text.pension, { amount: money(row.pension, lang) })));
        }
        tr.appendChild(person);
        if (row.overhead_ok) {
          tr.appendChild(el("td", money(row.total_person, lang)));
          tr.appendChild(el("td", fill(data.text.range,
            { low: money(row.team_cost, lang), high: money(row.total_cost, lang) })));
        } else {
          var none = el("td");
          none.appendChild(el("small", data.text.no_rent));
          tr.appendChild(none);
          tr.appendChild(el("td", money(row.team_cost, lang)));
        }
        tr.appendChild(el("td", data.taxes[row.slug]));
        if (baseline) {
          tr.appendChild(el("td", data.text.baseline, { colspan: 3 }));
        } else {
          result.baselines.forEach(function (b) {
            tr.appendChild(savingCell(result.savings[row.slug][b.slug],
              result.total_savings[row.slug][b.slug], lang));
          });
        }
      }
      tbody.appendChild(tr);
    }
    result.countries.forEach(function (row) { addRow(row, false); });
    result.baselines.forEach(function (row) { addRow(row, true); });
    var mix = data.mixes[scenario.mix];
    section.querySelector(".costs-scenario").textContent =
      fill(data.text.scenario, { team: scenario.team, mix: mix });
    var note = section.querySelector(".costs-periods");
    if (note) { note.parentNode.removeChild(note); }
    if (result.periods_differ) {
      var p = el("p", fill(data.text.periods, {
        periods: result.periods.map(function (p) { return (data.periods || {})[p] || p; }).join(", ")
      }),
        { "class": "note costs-periods" });
      section.querySelector(".table-scroll").insertAdjacentElement("afterend", p);
    }
    var figure = section.querySelector(".chart-figure");
    while (figure.firstChild) { figure.removeChild(figure.firstChild); }
    figure.appendChild(chart(rows, fill(data.text.chart, { team: scenario.team, mix: mix }), lang));
    var link = section.querySelector("a[data-estimate]");
    if (link) { link.href = link.href.split("?")[0] + "?" + M.estimateQuery(query, data.countries); }
  }

  function start() {
    var form = document.getElementById("costs-form");
    var section = document.getElementById("costs-results");
    if (!form || !section || !window.location.search) { return; }
    var params = new URLSearchParams(window.location.search);
    if (section.getAttribute("data-query") === window.location.search.slice(1)) { return; }
    fetch(form.getAttribute("data-costs-data"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var read = readScenario(params, data);
        keepInput(form, params);
        showErrors(form, read.errors);
        if (Object.keys(read.errors).length > 0) { return; }
        render(section, data, read.scenario, estimate(data.inputs, read.scenario),
          params.toString());
        section.setAttribute("data-query", params.toString());
      })
      .catch(function () { /* the pre-rendered scenarios stay: nothing is lost */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
