"""设置: Douyin credentials (OS keyring), cashiers, local endpoint, apps, sync, language, sound."""
