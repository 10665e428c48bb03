"""The counter screen (收银核销): scan, check the coupon card, redeem, see the answer."""
