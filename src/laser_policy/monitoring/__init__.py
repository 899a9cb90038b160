"""Monitoring and evaluation (措施二十三：动态监测和评估意见实施情况)."""
