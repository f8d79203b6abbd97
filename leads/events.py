"""Mail events about leads for staff: who is told of a new or reassigned lead."""

OWNER_NOTICE = "staff.owner_notice"  # "a new lead is assigned to you"
SHARED_NOTICE = "staff.shared_notice"  # FYI to the staff of an informed organisation
STAFF_DIGEST = "staff.digest"  # once a day, for those who chose the daily digest
