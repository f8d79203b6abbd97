// Run the estimator's method (static/js/costs-method.js) over a grid: argv[2] is a JSON file of
// {"inputs": {...by slug}, "scenarios": [...]}; prints the estimates as one JSON array.
"use strict";
const fs = require("fs");
const path = require("path");
const method = require(path.join(__dirname, "..", "..", "static", "js", "costs-method.js"));
const grid = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = grid.scenarios.map((s) =>
  method.estimate(grid.inputs, method.makeScenario(
    s.team, s.mix, s.countries, s.shares, s.factors, s.overhead, s.fallback
  ))
);
process.stdout.write(JSON.stringify(out));
