"""Strings of the drilldown page (English and Simplified Chinese); merged into ccmetrics.i18n."""

EN: dict[str, str] = {}

ZH: dict[str, str] = {}
