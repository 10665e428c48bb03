"""Small helpers shared by every screen: async operations, money, session, theme, paths."""
