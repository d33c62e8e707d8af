import { principal } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { addTaskComment, taskComments } from '../../shared/inbox-api';
import { formatVnTime as formatTime } from '../../shared/time';

/**
 * The notes officials leave on a task (a hand-off's context), on the task page: listed (the
 * signed-in official's marked), and one added at a time. `load` reads them again (a live
 * `task.updated` with `commented` calls it).
 */
export function taskCommentsBox(id: string, page: { status: HTMLElement; isDisposed: () => boolean }): { element: HTMLElement; load: () => Promise<void> } {
  const me = principal();
  const commentList = h('ol', { class: 'comments', 'data-testid': 'comments' });
  const commentText = h('textarea', { id: 'comment-text', rows: 2, maxlength: 4000 });
  const commentForm = h(
    'form',
    { class: 'comment-form' },
    h('label', { for: 'comment-text', class: 'field-label' }, t('comments.add')),
    commentText,
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'comment-send' }, t('comments.send'))),
  );
  const commentsBox = h('section', { class: 'card comments-card', 'aria-labelledby': 'comments-heading' }, h('h2', { id: 'comments-heading' }, t('comments.heading')), commentList, commentForm);
  const loadComments = async () => {
    try {
      const items = await taskComments(id);
      if (page.isDisposed()) return;
      mount(commentList, ...(items.length ? items.map((c) => h('li', {}, h('time', { datetime: c.createdAt }, formatTime(c.createdAt)), ' ', h('span', { class: 'muted' }, c.author === me?.id ? t('inbox.me') : t('inbox.someoneElse')), h('p', {}, c.text))) : [h('li', { class: 'muted' }, t('comments.none'))]));
    } catch (error) {
      if (!page.isDisposed()) showError(commentList, error);
    }
  };
  commentForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = commentText.value.trim();
    if (!text) return commentText.focus();
    try {
      await addTaskComment(id, text);
      commentText.value = '';
      await loadComments();
    } catch (error) {
      page.status.dataset.kind = 'error';
      showError(page.status, error);
    }
  });
  return { element: commentsBox, load: loadComments };
}
