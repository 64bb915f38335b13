"""The fee book's URLs, included from ``dangbo/fees/urls.py`` (namespace ``fees``)."""

from django.urls import path

from dangbo.fees import views_book

urlpatterns = [
    path("book/<int:pk>/", views_book.book, name="book"),
    path("book/<int:pk>/book.xlsx", views_book.book_xlsx, name="book_xlsx"),
    path("book/<int:pk>/book.docx", views_book.book_docx, name="book_docx"),
    path("book/units/<int:pk>/", views_book.subtree, name="book_subtree"),
]
