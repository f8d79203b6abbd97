/* The cost-of-a-centre estimator on the frozen site: the method of gateway/costs/method.py,
   line for line, over the figures in the data file the freeze writes beside the page
   (costs/data.json). Self-hosted, no inline script, no dependencies. Tests run the method
   part with Node.js over a grid of inputs and compare it with the Python. */
(function () {
  "use strict";

  // -- the method (gateway/costs/method.py) ----------------------------------------------
  var ROLES = ["software", "service", "finance"];
  var ROLE_WAGES = { software: "wage_software", service: "wage_service", finance: "wage_finance" };
  var FALLBACK_WAGE = "average_gross_wage";
  var ROLE_MIXES = {
    software: { software: 100, service: 0, finance: 0 },
    bpo: { software: 0, service: 100, finance: 0 },
    finance: { software: 0, service: 0, finance: 100 }
  };
  var CUSTOM = "custom";
  var DEFAULT_FACTOR = 1.0;
  var COST_STEP = 1000;
  var PERSON_STEP = 100;
  var PERCENT_STEP = 1;
  var BASELINES = ["germany", "austria", "sweden"];
  var MISSING_WAGE = "wage";
  var MISSING_MONTHS = "months_paid";
  var MISSING_CONTRIBUTIONS = "contributions";
  var MISSING_RATE = "rate";

  function roundTo(value, step) {
    return Math.floor(value / step + 0.5) * step;
  }

  function known(value) {
    return value !== null && value !== undefined;
  }

  function roleWage(inputs, role, fallback) {
    var wages = inputs.wages || {};
    var keys = [ROLE_WAGES[role]];
    if (fallback) {
      keys.push(FALLBACK_WAGE);
    }
    for (var i = 0; i < keys.length; i++) {
      var figure = wages[keys[i]];
      if (known(figure) && known(figure.value)) {
        return [keys[i], figure];
      }
    }
    return [null, null];
  }

  function monthlyContributions(wage, contributions) {
    var total = 0.0;
    for (var i = 0; i < contributions.length; i++) {
      var part = contributions[i];
      var base = wage;
      var ceiling = part.ceiling;
      if (known(ceiling) && ceiling < base) {
        base = ceiling;
      }
      var floor = part.floor;
      if (known(floor)) {
        base = base - floor;
        if (base < 0) {
          base = 0;
        }
      }
      total = total + part.rate / 100 * base;
    }
    return total;
  }

  function personCost(wage, factor, months, contributions) {
    var monthly = wage * factor;
    return (monthly + monthlyContributions(monthly, contributions)) * months;
  }

  function wageMonths(inputs, figure) {
    if (known(figure.months)) {
      return figure.months;
    }
    return inputs.months_paid;
  }

  function contributionsKnown(inputs) {
    var parts = inputs.contributions;
    if (!known(parts)) {
      return false;
    }
    for (var i = 0; i < parts.length; i++) {
      if (!known(parts[i].rate)) {
        return false;
      }
    }
    return true;
  }

  function missingInputs(inputs, shares, fallback) {
    var missing = [];
    var monthsNeeded = false;
    ROLES.forEach(function (role) {
      if (shares[role] > 0) {
        var found = roleWage(inputs, role, fallback);
        if (found[0] === null) {
          if (missing.indexOf(MISSING_WAGE) < 0) {
            missing.push(MISSING_WAGE);
          }
        } else if (!known(found[1].months)) {
          monthsNeeded = true;
        }
      }
    });
    if (monthsNeeded && !known(inputs.months_paid)) {
      missing.push(MISSING_MONTHS);
    }
    if (!contributionsKnown(inputs)) {
      missing.push(MISSING_CONTRIBUTIONS);
    }
    if (!known(inputs.rate)) {
      missing.push(MISSING_RATE);
    }
    return missing;
  }

  function seatRent(inputs, overhead) {
    var rent = (overhead.rents || {})[inputs.slug];
    if (!known(rent)) {
      rent = inputs.rent;
    }
    if (!known(rent)) {
      return null;
    }
    return rent * overhead.m2 * 12;
  }

  function countryCost(inputs, scenario) {
    var shares = scenario.shares;
    var fallback = scenario.fallback === true;
    var missing = missingInputs(inputs, shares, fallback);
    var result = { slug: inputs.slug, ok: missing.length === 0, missing: missing };
    if (missing.length > 0) {
      return result;
    }
    var salary = 0.0;
    var pension = 0.0;
    var recruitment = 0.0;
    var wagesUsed = {};
    var periods = [];
    var overhead = scenario.overhead;
    ROLES.forEach(function (role) {
      if (shares[role] > 0) {
        var found = roleWage(inputs, role, fallback);
        var key = found[0];
        var figure = found[1];
        wagesUsed[role] = key;
        var period = figure.period;
        if (known(period) && periods.indexOf(period) < 0) {
          periods.push(period);
        }
        var months = wageMonths(inputs, figure);
        var factor = scenario.factors[role];
        var weight = shares[role] / 100;
        salary = salary + weight * personCost(
          figure.value, factor, months, inputs.contributions
        );
        var pay = figure.value * factor * months;
        recruitment = recruitment + weight * pay * overhead.recruitment / 100;
        if (known(inputs.pension)) {
          var typical = monthlyContributions(figure.value * factor, inputs.pension);
          pension = pension + weight * typical * months;
        }
      }
    });
    var team = scenario.team;
    var rate = inputs.rate;
    var raw = team * salary / rate;
    result.raw = raw;
    result.team_cost = roundTo(raw, COST_STEP);
    result.person_cost = roundTo(raw / team, PERSON_STEP);
    result.pension = null;
    if (known(inputs.pension)) {
      result.pension = roundTo(pension / rate, PERSON_STEP);
    }
    result.wages_used = wagesUsed;
    result.periods = periods;
    var rent = seatRent(inputs, overhead);
    result.overhead_ok = known(rent);
    if (known(rent)) {
      var seat = rent + overhead.equipment + recruitment / rate;
      var total = raw + team * seat;
      result.total_raw = total;
      result.total_cost = roundTo(total, COST_STEP);
      result.total_person = roundTo(total / team, PERSON_STEP);
      result.overhead_person = roundTo(seat, PERSON_STEP);
    }
    return result;
  }

  function saving(country, baseline, key) {
    key = key || "raw";
    if (!country.ok || !baseline.ok) {
      return null;
    }
    if (!known(country[key]) || !known(baseline[key])) {
      return null;
    }
    var eur = baseline[key] - country[key];
    return {
      eur: roundTo(eur, COST_STEP),
      percent: roundTo(eur / baseline[key] * 100, PERCENT_STEP)
    };
  }

  function estimate(inputsBySlug, scenario) {
    var countries = scenario.countries.map(function (slug) {
      return countryCost(inputsBySlug[slug] || { slug: slug }, scenario);
    });
    var baselines = BASELINES.map(function (slug) {
      return countryCost(inputsBySlug[slug] || { slug: slug }, scenario);
    });
    var savings = {};
    var totals = {};
    countries.forEach(function (country) {
      savings[country.slug] = {};
      totals[country.slug] = {};
      baselines.forEach(function (baseline) {
        savings[country.slug][baseline.slug] = saving(country, baseline);
        totals[country.slug][baseline.slug] = saving(country, baseline, "total_raw");
      });
    });
    var periods = [];
    countries.concat(baselines).forEach(function (row) {
      (row.periods || []).forEach(function (period) {
        if (periods.indexOf(period) < 0) {
          periods.push(period);
        }
      });
    });
    periods.sort();
    return {
      countries: countries,
      baselines: baselines,
      savings: savings,
      total_savings: totals,
      periods: periods,
      periods_differ: periods.length > 1
    };
  }

  function mixShares(mix, custom) {
    var shares = {};
    ROLES.forEach(function (role) {
      if (mix === CUSTOM) {
        shares[role] = (custom || {})[role] || 0;
      } else {
        shares[role] = ROLE_MIXES[mix][role];
      }
    });
    return shares;
  }

  function makeScenario(team, mix, countries, shares, factors, overhead, fallback) {
    factors = factors || {};
    overhead = overhead || {};
    var chosen = {};
    ROLES.forEach(function (role) {
      chosen[role] = known(factors[role]) ? factors[role] : DEFAULT_FACTOR;
    });
    var rents = {};
    Object.keys(overhead.rents || {}).forEach(function (slug) { rents[slug] = overhead.rents[slug]; });
    return {
      team: team,
      mix: mix,
      shares: mixShares(mix, shares),
      factors: chosen,
      countries: countries.slice(),
      overhead: {
        m2: known(overhead.m2) ? overhead.m2 : 0,
        equipment: known(overhead.equipment) ? overhead.equipment : 0,
        recruitment: known(overhead.recruitment) ? overhead.recruitment : 0,
        rents: rents
      },
      fallback: fallback === true
    };
  }

  var formats = {};

  // CLDR formats through Intl, as gateway/formatting.py writes them with Babel: whole euros
  // ("€605,000", "605.000 €", "605 000 €") and per cent ("84%", "84 %").
  function formatter(lang, style) {
    var key = lang + " " + style;
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(lang, style === "percent"
        ? { style: "percent", maximumFractionDigits: 2 }
        : { style: "currency", currency: "EUR", minimumFractionDigits: 0, maximumFractionDigits: 2 });
    }
    return formats[key];
  }

  function money(value, lang) {
    if (value === null || value === undefined) { return "\u2014"; }
    return formatter(lang, "currency").format(value).replace(/ /g, "\u00a0").replace(/\u2212/g, "-");
  }

  function percent(value, lang) {
    if (value === null || value === undefined) { return "\u2014"; }
    return formatter(lang, "percent").format(value / 100).replace(/ /g, "\u00a0").replace(/\u2212/g, "-");
  }

  var method = {
    constants: {
      ROLES: ROLES, ROLE_WAGES: ROLE_WAGES, ROLE_MIXES: ROLE_MIXES, CUSTOM: CUSTOM,
      FALLBACK_WAGE: FALLBACK_WAGE,
      DEFAULT_FACTOR: DEFAULT_FACTOR, COST_STEP: COST_STEP, PERSON_STEP: PERSON_STEP,
      PERCENT_STEP: PERCENT_STEP, BASELINES: BASELINES,
      MISSING: [MISSING_WAGE, MISSING_MONTHS, MISSING_CONTRIBUTIONS, MISSING_RATE]
    },
    ROLES: ROLES,
    roundTo: roundTo,
    countryCost: countryCost,
    estimate: estimate,
    makeScenario: makeScenario,
    money: money,
    percent: percent
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = method;
  }
  if (typeof document === "undefined") {
    return;
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
        tr.appendChild(el("td", missingText(data, row.missing), { colspan: 7, "class": "costs-missing" }));
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
    if (link) { link.href = link.href.split("?")[0] + "?" + query; }
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
