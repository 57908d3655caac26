"""The demo partnership (Brackwater): agencies, groups, the plan and its priorities, users
in several agencies and roles, and a few meetings, decisions and actions."""
