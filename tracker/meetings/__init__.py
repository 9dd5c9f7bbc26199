"""Level 2 and 3 MAPPA meetings: cases, agendas, attendance, the Four Pillars, actions and deadlines."""
