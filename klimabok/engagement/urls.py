from django.urls import path

from klimabok.engagement.views import digest, news, suggestions

app_name = "engagement"

urlpatterns = [
    path("o/<slug:slug>/news/", news.news, name="news"),
    path("o/<slug:slug>/news/new/", news.post_new, name="post_new"),
    path("o/<slug:slug>/news/<int:pk>/", news.post, name="post"),
    path("o/<slug:slug>/news/<int:pk>/edit/", news.post_edit, name="post_edit"),
    path("o/<slug:slug>/news/<int:pk>/publish/", news.post_publish, name="post_publish"),
    path("o/<slug:slug>/news/<int:pk>/image/", news.post_image, name="post_image"),
    path("o/<slug:slug>/news/milestone/<int:pk>/", news.milestone_draft, name="milestone_draft"),
    path("o/<slug:slug>/suggestions/", suggestions.suggestions, name="suggestions"),
    path("o/<slug:slug>/suggestions/new/", suggestions.suggestion_new, name="suggestion_new"),
    path("o/<slug:slug>/suggestions/<int:pk>/", suggestions.suggestion, name="suggestion"),
    path("o/<slug:slug>/suggestions/<int:pk>/vote/", suggestions.suggestion_vote, name="suggestion_vote"),
    path("o/<slug:slug>/suggestions/<int:pk>/comment/", suggestions.suggestion_comment,
         name="suggestion_comment"),
    path("o/<slug:slug>/suggestions/<int:pk>/answer/", suggestions.suggestion_answer,
         name="suggestion_answer"),
    path("o/<slug:slug>/digest/", digest.digest_settings, name="digest"),
    path("digest/stop/<str:token>/", digest.unsubscribe, name="unsubscribe"),
]
