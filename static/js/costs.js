/* The cost-of-a-centre estimator on the frozen site: the method of gateway/costs/method.py,
   line for line, over the figures in the data file the freeze writes beside the page
   (costs/data.json). Self-hosted, no inline script, no dependencies. Tests run the method
   part with Node.js over a grid of inputs and compare it with the Python. */
(function () {
  "use strict";

  // -- the method (gateway/costs/method.py) ----------------------------------------------
  var ROLES = ["software", "service", "finance"];
  var ROLE_WAGES = {
    software: ["average_gross_wage_ict", "average_gross_wage"],
    service: ["average_gross_wage"],
    finance: ["average_gross_wage"]
  };
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

  function roleWage(inputs, role) {
    var wages = inputs.wages || {};
    var keys = ROLE_WAGES[role];
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
      total = total + part.rate / 100 * base;
    }
    return total;
  }

  function personCost(wage, factor, months, contributions) {
    var monthly = wage * factor;
    return (monthly + monthlyContributions(monthly, contributions)) * months;
  }

  function missingInputs(inputs, shares) {
    var missing = [];
    ROLES.forEach(function (role) {
      if (shares[role] > 0 && roleWage(inputs, role)[0] === null) {
        if (missing.indexOf(MISSING_WAGE) < 0) {
          missing.push(MISSING_WAGE);
        }
      }
    });
    if (!known(inputs.months_paid)) {
      missing.push(MISSING_MONTHS);
    }
    if (!known(inputs.contributions)) {
      missing.push(MISSING_CONTRIBUTIONS);
    } else {
      for (var i = 0; i < inputs.contributions.length; i++) {
        if (!known(inputs.contributions[i].rate)) {
          missing.push(MISSING_CONTRIBUTIONS);
          break;
        }
      }
    }
    if (!known(inputs.rate)) {
      missing.push(MISSING_RATE);
    }
    return missing;
  }

  function countryCost(inputs, scenario) {
    var shares = scenario.shares;
    var missing = missingInputs(inputs, shares);
    var result = { slug: inputs.slug, ok: missing.length === 0, missing: missing };
    if (missing.length > 0) {
      return result;
    }
    var total = 0.0;
    var wagesUsed = {};
    var periods = [];
    ROLES.forEach(function (role) {
      if (shares[role] > 0) {
        var found = roleWage(inputs, role);
        var key = found[0];
        var figure = found[1];
        wagesUsed[role] = key;
        var period = figure.period;
        if (known(period) && periods.indexOf(period) < 0) {
          periods.push(period);
        }
        var cost = personCost(
          figure.value,
          scenario.factors[role],
          inputs.months_paid,
          inputs.contributions
        );
        total = total + shares[role] / 100 * cost;
      }
    });
    var teamCost = scenario.team * total / inputs.rate;
    result.raw = teamCost;
    result.team_cost = roundTo(teamCost, COST_STEP);
    result.person_cost = roundTo(teamCost / scenario.team, PERSON_STEP);
    result.wages_used = wagesUsed;
    result.periods = periods;
    return result;
  }

  function saving(country, baseline) {
    if (!country.ok || !baseline.ok) {
      return null;
    }
    var eur = baseline.raw - country.raw;
    return {
      eur: roundTo(eur, COST_STEP),
      percent: roundTo(eur / baseline.raw * 100, PERCENT_STEP)
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
    countries.forEach(function (country) {
      savings[country.slug] = {};
      baselines.forEach(function (baseline) {
        savings[country.slug][baseline.slug] = saving(country, baseline);
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

  function makeScenario(team, mix, countries, shares, factors) {
    factors = factors || {};
    var chosen = {};
    ROLES.forEach(function (role) {
      chosen[role] = known(factors[role]) ? factors[role] : DEFAULT_FACTOR;
    });
    return {
      team: team,
      mix: mix,
      shares: mixShares(mix, shares),
      factors: chosen,
      countries: countries.slice()
    };
  }

  var method = {
    ROLES: ROLES,
    roundTo: roundTo,
    countryCost: countryCost,
    estimate: estimate,
    makeScenario: makeScenario
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = method;
  }
  if (typeof document === "undefined") {
    return;
  }

  // -- the page ------------------------------------------------------------------------
  /*@PAGE@*/
})();
