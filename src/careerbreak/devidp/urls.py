from django.urls import path
app_name = "devidp"
urlpatterns: list = []
