"""Steps that every browser journey shares."""

from smedx.testing import PASSWORD


def log_in(page, username, password=PASSWORD):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def log_out(page):
    page.click("nav form[action='/logout/'] button")
    page.wait_for_url("**/login/**")
