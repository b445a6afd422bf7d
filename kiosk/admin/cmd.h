/*
 * cmd.h - the command tables of hubctl, one per noun, each ended by an
 * entry whose noun is NULL. hubctl.c dispatches over them; each cmd_*.c
 * file holds the commands of one noun and keeps everything else static.
 */
#ifndef CMD_H
#define CMD_H

#include "admin/cli.h"

extern const struct cli_cmd cmd_bed[];
extern const struct cli_cmd cmd_family[];      /* satellite families */
extern const struct cli_cmd cmd_person[];
extern const struct cli_cmd cmd_stay[];
extern const struct cli_cmd cmd_care[];        /* support care without a bed */
extern const struct cli_cmd cmd_visit[];       /* visit, checkin, checkout */
extern const struct cli_cmd cmd_contact[];
extern const struct cli_cmd cmd_event[];
extern const struct cli_cmd cmd_record[];      /* record, concern */
extern const struct cli_cmd cmd_journal[];
extern const struct cli_cmd cmd_hub[];         /* hub name, demo */
extern const struct cli_cmd cmd_calendar[];    /* calendar import, subscribe, ... */
extern const struct cli_cmd cmd_export[];      /* export, verify, export-status */
extern const struct cli_cmd cmd_export_key[];  /* export-key create, list, revoke, recipients */
extern const struct cli_cmd cmd_press[];       /* presses, emergency complete */
extern const struct cli_cmd cmd_device[];      /* the companion's phones: pair, list, revoke */
extern const struct cli_cmd cmd_retention[];   /* retention, retention purge */
extern const struct cli_cmd cmd_backup[];      /* backup-medium, backup, restore */

#endif
