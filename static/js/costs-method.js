/* The cost-of-a-centre method of gateway/costs/method.py, line for line, for the frozen
   site (static/js/costs.js draws the page with it). Self-hosted, no inline script, no
   dependencies. Tests run it with Node.js over a grid of inputs and compare it with the
   Python. */
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

  // The estimate link names countries only if the investor chose some: all six is the
  // untouched default, and an estimate request without countries is a regional inquiry.
  function estimateQuery(query, countries) {
    var params = new URLSearchParams(query);
    var chosen = params.getAll("country");
    var all = countries.every(function (slug) { return chosen.indexOf(slug) >= 0; });
    if (all) { params.delete("country"); }
    return params.toString();
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
    estimateQuery: estimateQuery,
    countryCost: countryCost,
    estimate: estimate,
    makeScenario: makeScenario,
    money: money,
    percent: percent
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = method;
  } else if (typeof window !== "undefined") {
    window.CostsMethod = method;
  }
})();
