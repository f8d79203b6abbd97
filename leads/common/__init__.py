"""Pure helpers below every lead package: access rules, the overdue rule, safe CSV cells, labels."""
