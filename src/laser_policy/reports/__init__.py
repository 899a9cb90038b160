"""The monitoring report (监测报告) in Word and PDF."""
