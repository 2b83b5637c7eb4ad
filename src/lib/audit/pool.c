/*
 * pool: worker threads for the audit's pure work (parsing versions, verifying signatures).
 *
 * Tasks are queued first in, first out. The thread that submits them is a worker too: when
 * it needs a task's result it runs queued tasks itself until that one is done, so JOBS
 * threads in all (JOBS - 1 here plus the caller) do the work, and with JOBS = 1 no thread
 * is started and every task runs on the caller, in order. Tasks touch no shared state but
 * their own: the caller reads their results after docket_pool_wait.
 */
#include <pthread.h>
#include <stdlib.h>
#include "audit_internal.h"

struct docket_pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	docket_task *head, *tail;
	int stop;
	pthread_t tid[64];
	unsigned int nthreads;
};

static docket_task *take(docket_pool *p)
{
	docket_task *t = p->head;
	if (t) {
		p->head = t->next;
		if (!p->head)
			p->tail = NULL;
		t->state = 1;
	}
	return t;
}

static void run(docket_pool *p, docket_task *t)
{
	t->run(t);
	pthread_mutex_lock(&p->mu);
	t->state = 2;
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
	docket_pool *p = arg;
	docket_task *t;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		t = take(p);
		pthread_mutex_unlock(&p->mu);
		if (!t)
			return NULL; /* stopped, nothing left */
		run(p, t);
	}
}

int docket_pool_new(docket_pool **out, unsigned int jobs)
{
	docket_pool *p;

	*out = NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (unsigned int i = 1; i < jobs && i < 64; i++) {
		if (pthread_create(&p->tid[p->nthreads], NULL, worker, p) != 0)
			break; /* fewer threads: the same results, later */
		p->nthreads++;
	}
	*out = p;
	return 0;
}

void docket_pool_submit(docket_pool *p, docket_task *t)
{
	t->next = NULL;
	t->state = 0;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void docket_pool_wait(docket_pool *p, docket_task *t)
{
	pthread_mutex_lock(&p->mu);
	while (t->state != 2) {
		docket_task *mine = p->head ? take(p) : NULL;
		if (mine) {
			pthread_mutex_unlock(&p->mu);
			run(p, mine);
			pthread_mutex_lock(&p->mu);
		} else {
			pthread_cond_wait(&p->done, &p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
}

void docket_pool_free(docket_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned int i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	/* what is still queued was never needed: its owner frees it */
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}
