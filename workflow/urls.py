from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("todo/", views.todo_page, name="todo"),
    path("rounds/", views.rounds_page, name="rounds"),
]
